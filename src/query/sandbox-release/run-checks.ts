import { BadRequestError } from '../../errors/index.js';
import type { Column } from '../row-stream.js';
import type { Sandbox } from '../sandbox.js';
import { identifierKinds } from './identifying.js';
import { noiseRows } from './noise.js';
import type { NoisePlan } from './noise-plan.js';
import { type CheckReason, plain, type ReviewReason } from './reasons.js';
import type { Check, CheckReport } from './report.js';
import { answerWithCounts, CHECK_PREFIX, conditionEffects } from './rewrite.js';
import type { CheckablePlan } from './shape.js';
import { suppressSmallCells } from './suppress.js';

/** The most rows a sandbox answer may have: it is held whole (in the server) until it is checked. */
export const MAX_ANSWER_ROWS = 10_000;

/** An answer checked inside the sandbox: the rows that may leave, and the report. */
export interface CheckedAnswer {
  columns: Column[];
  rows: unknown[][];
  report: CheckReport;
}

/** All rows of a query in the sandbox, at most MAX_ANSWER_ROWS + 1 (one more says "too many"). */
async function readAll(box: Sandbox, sql: string): Promise<{ columns: Column[]; rows: unknown[][] }> {
  const result = await box.stream(sql);
  const rows: unknown[][] = [];
  for await (const batch of result.batches) {
    rows.push(...batch);
    if (rows.length > MAX_ANSWER_ROWS) break;
  }
  return { columns: result.columns, rows };
}

const asNumber = (value: unknown) => (typeof value === 'bigint' ? Number(value) : Number(value ?? 0));

/** Conditions whose effect in some group that would be released is between 1 and k−1 rows. */
async function lowEffectConditions(box: Sandbox, plan: CheckablePlan, k: number): Promise<number[]> {
  const sql = await conditionEffects(plan);
  if (!sql) return [];
  const { columns, rows } = await readAll(box, sql);
  const at = (name: string) => columns.findIndex((c) => c.name === name);
  const within = at(`${CHECK_PREFIX}n`);
  const flagged = new Set<number>();
  for (const row of rows) {
    if (asNumber(row[within]) < k) continue;
    for (let i = 0; i < plan.conditions; i++)
      for (const side of ['t', 'f'])
        if (
          asNumber(row[at(`${CHECK_PREFIX}${side}${i}`)]) > 0 &&
          asNumber(row[at(`${CHECK_PREFIX}${side}${i}`)]) < k
        )
          flagged.add(i);
  }
  return [...flagged];
}

/** A check with one reason, whose English is the check's detail. */
const check = (name: Check['name'], passed: boolean, reason: CheckReason): Check => ({
  name,
  passed,
  detail: reason.detail,
  reasons: [reason],
});

/** The check of the values: does any look like an ID number, a phone, a card…? */
function valuesCheck(rows: unknown[][]): Check {
  const kinds = identifierKinds(rows);
  return check(
    'no_identifiers_in_values',
    kinds.length === 0,
    kinds.length === 0
      ? plain('no_identifier_values', 'no value looks like an identifier')
      : {
          code: 'identifier_values',
          params: { kinds },
          detail: 'a value looks like an identifier (ID, phone, card…)',
        },
  );
}

/**
 * Runs a checkable query with its counts, suppresses small cells across the marginals, measures
 * each WHERE condition's effect, and scans the values left for identifiers. The report says
 * whether the rows may leave (`released`) or wait for the steward (`held_for_review`). Under a
 * grant with noise, the rows left (released or held alike) then carry noised aggregates only.
 */
export async function runChecked(
  box: Sandbox,
  plan: CheckablePlan,
  k: number,
  noise?: NoisePlan,
): Promise<CheckedAnswer> {
  const { columns, rows } = await readAll(box, await answerWithCounts(plan, noise));
  if (rows.length > MAX_ANSWER_ROWS) throw tooMany();
  const own = columns.findIndex((c) => c.name.startsWith(CHECK_PREFIX));
  const countAt = columns
    .map((c, i) => (c.name === `${CHECK_PREFIX}rows` || /^__ht_c\d+$/.test(c.name) ? i : -1))
    .filter((i) => i >= 0);
  const keyAt = columns.map((c, i) => (/^__ht_k\d+$/.test(c.name) ? i : -1)).filter((i) => i >= 0);
  const counted = rows.map((row) => ({
    rows: Math.min(...countAt.map((i) => asNumber(row[i]))),
    keys: keyAt.map((i) => JSON.stringify(row[i], (_, v) => (typeof v === 'bigint' ? String(v) : v))),
  }));
  const { suppressed, primary, secondary } = suppressSmallCells(counted, k);
  const kept = rows.filter((_, i) => !suppressed.has(i));
  const exact = kept.map((row) => row.slice(0, own));
  const shown = noise ? noiseRows(exact, kept, columns, noise) : exact;
  const flagged = await lowEffectConditions(box, plan, k);
  const conditions = flagged.map((i) => i + 1).sort((a, b) => a - b);
  const checks = [
    check(
      'aggregated_output',
      true,
      plain('aggregates_only', 'every output row is an aggregate (GROUP BY or an aggregate function)'),
    ),
    check(
      'no_identifying_output',
      true,
      plain('no_identifying_item', 'no identifying item is output, grouped on or aggregated but by count'),
    ),
    check(
      'checkable_shape',
      true,
      plain('checkable', 'one resource, no join, subquery, window, set operation, HAVING or LIMIT'),
    ),
    check('minimum_group_size', true, {
      code: 'small_groups_suppressed',
      params: { k, primary, secondary },
      detail: `rows under ${k} source rows withheld: ${primary}; withheld so that no difference with a coarser grouping reveals fewer than ${k}: ${secondary}`,
    }),
    check(
      'condition_effect',
      flagged.length === 0,
      flagged.length === 0
        ? {
            code: 'no_low_effect_condition',
            params: { k },
            detail: `no WHERE condition changes between 1 and ${k - 1} rows of a group`,
          }
        : {
            code: 'low_effect_condition',
            params: { k, conditions },
            detail: `WHERE conditions ${conditions.join(', ')} change between 1 and ${k - 1} rows of a group: together with a query without them they would isolate those rows`,
          },
    ),
    valuesCheck(shown),
  ];
  const passed = checks.every((c) => c.passed);
  return {
    columns: columns.slice(0, own),
    rows: shown,
    report: {
      outcome: passed ? 'released' : 'held_for_review',
      minGroupSize: k,
      checks,
      suppressedRows: suppressed.size,
    },
  };
}

/**
 * A query whose shape the checks cannot vouch for runs as it is, and its whole answer is held for
 * the steward, with the reasons.
 */
export async function runUnchecked(
  box: Sandbox,
  sql: string,
  k: number,
  reasons: ReviewReason[],
): Promise<CheckedAnswer> {
  const { columns, rows } = await readAll(box, sql);
  if (rows.length > MAX_ANSWER_ROWS) throw tooMany();
  return {
    columns,
    rows,
    report: {
      outcome: 'held_for_review',
      minGroupSize: k,
      checks: [
        check(
          'aggregated_output',
          true,
          plain('aggregates_at_top_level', 'the query aggregates at its top level'),
        ),
        {
          name: 'checkable_shape',
          passed: false,
          detail: reasons.map((r) => `${r.code}: ${r.detail}`).join('; '),
          reasons,
        },
        valuesCheck(rows),
      ],
      suppressedRows: 0,
    },
  };
}

function tooMany() {
  return new BadRequestError(
    'sandbox_answer_too_large',
    `A sandbox answer is checked whole: at most ${MAX_ANSWER_ROWS} rows`,
  );
}
