import type { CheckReason } from '../../../src/query/sandbox-release/reasons.js';
import type { release } from '../i18n/release.js';
import type { types } from '../i18n/types.js';

// The reasons of an output check (可用不可见) in the reader's language, from their codes and
// figures; the server's English `detail` is shown only for a code this console does not know
// (a newer server) or a report stored before reasons existed.

// The keys used here, so that the function needs no DOM nor React (a test runs it in Node).
type Key = keyof typeof release.zh | keyof typeof types.zh;
/** The console's translate function, as far as the reasons need it. */
export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

type Say = {
  [C in CheckReason['code']]: (reason: Extract<CheckReason, { code: C }>, t: Translate) => string;
};

const SAY: Say = {
  aggregates_only: (_, t) => t('check.reason.aggregates_only'),
  aggregates_at_top_level: (_, t) => t('check.reason.aggregates_at_top_level'),
  no_identifying_item: (_, t) => t('check.reason.no_identifying_item'),
  checkable: (_, t) => t('check.reason.checkable'),
  unchecked_shape: ({ params }, t) =>
    t('check.reason.unchecked_shape', {
      construct: t(`check.construct.${params.construct}`, { max: params.max ?? '' }),
    }),
  unsafe_aggregate: ({ params }, t) => t('check.reason.unsafe_aggregate', { function: params.function }),
  aggregate_argument: ({ params }, t) =>
    t(`check.reason.aggregate_argument.${params.argument}`, { function: params.function }),
  identifying_in_group: (_, t) => t('check.reason.identifying_in_group'),
  identifying_in_condition: (_, t) => t('check.reason.identifying_in_condition'),
  small_groups_suppressed: ({ params }, t) => t('check.reason.small_groups_suppressed', params),
  no_low_effect_condition: ({ params }, t) =>
    t('check.reason.no_low_effect_condition', { below: params.k - 1 }),
  low_effect_condition: ({ params }, t) =>
    t('check.reason.low_effect_condition', {
      conditions: params.conditions.join(t('check.listSeparator')),
      below: params.k - 1,
    }),
  no_identifier_values: (_, t) => t('check.reason.no_identifier_values'),
  identifier_values: ({ params }, t) =>
    t('check.reason.identifier_values', {
      kinds: params.kinds.map((kind) => t(`pii.${kind}`)).join(t('check.listSeparator')),
    }),
};

/** What a check says, one text per reason, in the reader's language where the code is known. */
export function reasonTexts(
  check: { detail: string; reasons?: readonly CheckReason[] },
  t: Translate,
): string[] {
  const reasons: readonly CheckReason[] = check.reasons ?? [];
  if (reasons.length === 0) return [check.detail];
  return reasons.map((reason) => {
    const say = Object.hasOwn(SAY, reason.code) ? SAY[reason.code] : undefined;
    return say
      ? (say as (r: CheckReason, t: Translate) => string)(reason, t)
      : (reason.detail ?? check.detail);
  });
}
