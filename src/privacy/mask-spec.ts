import { z } from 'zod';

const count = z.number().int().min(0).max(1000);

/**
 * Zod schema of a mask, as the sharing layer stores it per granted item. Every mask maps NULL to
 * NULL and works on characters (Unicode code points), identically in JS and in each SQL dialect.
 */
export const maskSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }), // 不脱敏: the value in clear
  z.object({ kind: z.literal('redact') }), // A-Z → X, a-z → x, 0-9 → 0, other characters kept
  z.object({ kind: z.literal('first'), n: count }), // show the first n characters, * for the rest
  z.object({ kind: z.literal('last'), n: count }), // show the last n characters, * for the rest
  z.object({ kind: z.literal('keep'), first: count, last: count }), // keep both ends; all * if too short
  z.object({ kind: z.literal('hmac'), keyId: z.string().min(1).max(100).optional() }), // keyed hash, hex
  z.object({ kind: z.literal('null') }), // always NULL
  z.object({ kind: z.literal('suppress') }), // '*' for every non-null value (k-anonymity suppression)
  z.object({ kind: z.literal('year') }), // a date → its year (first four characters when digits)
  z.object({ kind: z.literal('age-band'), width: z.number().int().min(1).max(200), top: count.optional() }),
  z.object({ kind: z.literal('region'), level: z.enum(['city', 'province']) }), // 350102 → 350100 / 350000
  z.object({ kind: z.literal('id-number') }), // 110105********002X
  z.object({ kind: z.literal('mobile') }), // 138****1234
  z.object({ kind: z.literal('name') }), // 张* / 欧阳**
  z.object({ kind: z.literal('bank-card') }), // ************1234
]);
/** A mask applied to one item (column). */
export type MaskSpec = z.infer<typeof maskSpecSchema>;
/** The kinds of mask. */
export type MaskKind = MaskSpec['kind'];

/** The keep-ends form of the Chinese conventions (first, last characters shown). */
export const CONVENTION_ENDS = {
  'id-number': [6, 4],
  mobile: [3, 4],
  'bank-card': [0, 4],
} as const;

/** Reduces a mask to its primitive form: the Chinese conventions are keep-ends masks. */
export function normalizeMask(spec: MaskSpec): MaskSpec {
  if (spec.kind === 'id-number' || spec.kind === 'mobile' || spec.kind === 'bank-card') {
    const [first, last] = CONVENTION_ENDS[spec.kind];
    return { kind: 'keep', first, last };
  }
  return spec;
}
