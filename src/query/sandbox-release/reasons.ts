import { z } from 'zod';
import { piiKindSchema } from '../../privacy/index.js';

// Why each output check passed or failed, as a stable code and its figures: the console says it in
// the reader's language (web/src/i18n/release.ts), and `detail` keeps the English sentence for
// API clients that show text as it is.

/** The parts of SQL the output checks cannot vouch for (`unchecked_shape`), with their English. */
const CONSTRUCTS = {
  set_operation: 'set operation (UNION, EXCEPT, INTERSECT)',
  with: 'WITH (common table expressions)',
  join: 'join',
  from_subquery: 'FROM a subquery or several tables',
  tablesample: 'TABLESAMPLE',
  distinct: 'DISTINCT',
  limit: 'LIMIT or OFFSET',
  having: 'HAVING',
  qualify: 'QUALIFY',
  subquery: 'subquery',
  window: 'window function',
  group_by_all: 'GROUP BY ALL',
  grouping_sets: 'GROUPING SETS, ROLLUP or CUBE',
  too_many_keys: 'more than {max} GROUP BY keys',
  nested_aggregate: 'aggregate inside an aggregate',
  too_many_conditions: 'more than {max} conditions in WHERE',
} as const;
export type Construct = keyof typeof CONSTRUCTS;
const constructs = Object.keys(CONSTRUCTS) as [Construct, ...Construct[]];

const detail = z.string().describe('the reason in English, as `detail` of the check says it');
const k = z.number().int().describe('the minimum group size');
const fn = z.string().describe('the aggregate function, lower-case');
const bare = <C extends string>(code: C) => z.object({ code: z.literal(code), detail });
const reason = <C extends string, P extends z.ZodRawShape>(code: C, params: P) =>
  z.object({ code: z.literal(code), params: z.object(params), detail });

/** One reason of a check: a code, the figures it needs (`params`), and the same in English. */
export const CheckReasonSchema = z
  .discriminatedUnion('code', [
    bare('aggregates_only'),
    bare('aggregates_at_top_level'),
    bare('no_identifying_item'),
    bare('checkable'),
    reason('unchecked_shape', {
      construct: z.enum(constructs),
      max: z.number().int().optional().describe('too_many_keys, too_many_conditions: the most allowed'),
    }),
    reason('unsafe_aggregate', { function: fn }),
    reason('aggregate_argument', {
      function: fn,
      argument: z
        .enum(['modifier', 'expression', 'identifying'])
        .describe('modifier: FILTER, DISTINCT or ORDER BY; expression: not a bare column'),
    }),
    bare('identifying_in_group'),
    bare('identifying_in_condition'),
    reason('small_groups_suppressed', {
      k,
      primary: z.number().int().describe('rows withheld for being under k source rows'),
      secondary: z.number().int().describe('rows withheld so that no difference reveals the others'),
    }),
    reason('no_low_effect_condition', { k }),
    reason('low_effect_condition', {
      k,
      conditions: z.array(z.number().int()).describe('the WHERE conditions concerned, from 1'),
    }),
    bare('no_identifier_values'),
    reason('identifier_values', { kinds: z.array(piiKindSchema).describe('what the values look like') }),
  ])
  .describe('why the check passed or failed, as a code the console translates');
export type CheckReason = z.infer<typeof CheckReasonSchema>;
type Code = CheckReason['code'];
type ReasonOf<C extends Code> = Extract<CheckReason, { code: C }>;

/** Why a query goes to the steward rather than out: the reasons shape.ts gives. */
export type ReviewReason = ReasonOf<
  | 'unchecked_shape'
  | 'unsafe_aggregate'
  | 'aggregate_argument'
  | 'identifying_in_group'
  | 'identifying_in_condition'
>;

/** A reason without figures. */
export const plain = <C extends Exclude<CheckReason, { params: unknown }>['code']>(
  code: C,
  english: string,
) => ({ code, detail: english }) as ReasonOf<C>;

/** `unchecked_shape`: a construct the checks cannot vouch for (`max`: a limit passed). */
export function unchecked(construct: Construct, max?: number): ReasonOf<'unchecked_shape'> {
  const english = CONSTRUCTS[construct].replace('{max}', String(max));
  return {
    code: 'unchecked_shape',
    params: max === undefined ? { construct } : { construct, max },
    detail: english,
  };
}

/** `aggregate_argument`: an aggregate the checks allow, called in a way they do not. */
export function aggregateArgument(
  name: string,
  argument: ReasonOf<'aggregate_argument'>['params']['argument'],
): ReasonOf<'aggregate_argument'> {
  const english = {
    modifier: `${name}() with FILTER, DISTINCT or ORDER BY`,
    expression: `${name}() of an expression: only ${name}(column) is checked`,
    identifying: `${name}() of an identifying item`,
  }[argument];
  return { code: 'aggregate_argument', params: { function: name, argument }, detail: english };
}
