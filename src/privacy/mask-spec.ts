import { z } from 'zod';

const count = z.number().int().min(0).max(1000);

/**
 * Zod schema of a mask, as the sharing layer stores it per granted item. Every mask maps NULL to
 * NULL and works on characters (Unicode code points), identically in JS and in each SQL dialect.
 * Each comment says all a mask's output may reveal of the value: nothing else, not even its length
 * (star runs have a fixed width).
 */
export const maskSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }), // 不脱敏: the value in clear
  z.object({ kind: z.literal('redact') }), // *** whatever the value (only that it is not NULL)
  z.object({ kind: z.literal('first'), n: count }), // the first n characters, then ***; *** when not longer than n
  z.object({ kind: z.literal('last'), n: count }), // ***, then the last n characters; *** when not longer than n
  z.object({ kind: z.literal('keep'), first: count, last: count }), // both ends around ***; *** if too short
  z.object({ kind: z.literal('hmac'), keyId: z.string().min(1).max(100).optional() }), // keyed hash, hex
  z.object({ kind: z.literal('null') }), // always NULL
  z.object({ kind: z.literal('suppress') }), // '*' for every non-null value (k-anonymity suppression)
  // a date → its year, or its band of `width` years (1990-1999); NULL when it does not start as a date
  z.object({ kind: z.literal('year'), width: z.number().int().min(1).max(100).optional() }),
  z.object({ kind: z.literal('age-band'), width: z.number().int().min(1).max(200), top: count.optional() }),
  z.object({ kind: z.literal('region'), level: z.enum(['city', 'province']) }), // 350102 → 350100 / 350000
  z.object({ kind: z.literal('address') }), // 福建省福州市鼓楼区*** : up to the district (区/县/旗, 县级市)
  z.object({ kind: z.literal('id-number') }), // 110105********002X
  z.object({ kind: z.literal('mobile') }), // 138****1234
  z.object({ kind: z.literal('name') }), // 张* / 欧阳*: the surname
  z.object({ kind: z.literal('bank-card') }), // ************1234
]);
/** A mask applied to one item (column). */
export type MaskSpec = z.infer<typeof maskSpecSchema>;
/** The kinds of mask. */
export type MaskKind = MaskSpec['kind'];

/** The keep-ends primitive: `first` and `last` characters around a fixed run of `stars` stars. */
export interface KeepEnds {
  kind: 'keep';
  first: number;
  last: number;
  stars: number;
}

/** A mask reduced to its primitive form (see `normalizeMask`). */
export type NormalMask =
  | Exclude<MaskSpec, { kind: 'keep' | 'first' | 'last' | 'id-number' | 'mobile' | 'bank-card' }>
  | KeepEnds;

/** The stars of the generic keep masks (first, last, keep): fixed, so the length stays hidden. */
export const STAR_RUN = 3;

/** The keep-ends form of the Chinese conventions: first, last characters shown, stars between. */
export const CONVENTION_ENDS = {
  'id-number': [6, 4, 8],
  mobile: [3, 4, 4],
  'bank-card': [0, 4, 12],
} as const;

/** Reduces a mask to its primitive form: first, last, keep and the Chinese conventions are keep-ends. */
export function normalizeMask(spec: MaskSpec): NormalMask {
  switch (spec.kind) {
    case 'id-number':
    case 'mobile':
    case 'bank-card': {
      const [first, last, stars] = CONVENTION_ENDS[spec.kind];
      return { kind: 'keep', first, last, stars };
    }
    case 'first':
      return { kind: 'keep', first: spec.n, last: 0, stars: STAR_RUN };
    case 'last':
      return { kind: 'keep', first: 0, last: spec.n, stars: STAR_RUN };
    case 'keep':
      return { kind: 'keep', first: spec.first, last: spec.last, stars: STAR_RUN };
    default:
      return spec;
  }
}
