import { clampUnits, type DpBounds } from '../../privacy/index.js';
import { deserializeSql, serializeSql } from '../duckdb-parser.js';
import type { NoisePlan } from './noise-plan.js';
import { type CheckablePlan, conditionPaths, replaceCondition } from './shape.js';

// The analyst's query, rewritten (on DuckDB's own syntax tree, printed back by DuckDB) so that the
// figures the output checks need are computed by the same FROM, WHERE and GROUP BY as the answer:
// no second reading of the SQL that could disagree with the engine's.

type Node = Record<string, unknown>;

/** Names of the columns the rewrite appends; the analyst's own cannot start with them (checked). */
export const CHECK_PREFIX = '__ht_';

/** The select item of a one-item template SELECT, parsed once. */
const templates = new Map<string, Promise<Node>>();
function template(sql: string): Promise<Node> {
  let found = templates.get(sql);
  if (!found) {
    found = serializeSql(sql).then((tree) => {
      const statement = (tree as { statements: Array<{ node: Node }> }).statements[0]!;
      return (statement.node.select_list as Node[])[0]!;
    });
    templates.set(sql, found);
  }
  return found.then((node) => structuredClone(node));
}

/** A copy of `node` with every column reference named `name` replaced by `value`. */
function substitute(node: unknown, name: string, value: Node): unknown {
  if (Array.isArray(node)) return node.map((child) => substitute(child, name, value));
  if (node === null || typeof node !== 'object') return node;
  const n = node as Node;
  if (n.class === 'COLUMN_REF' && (n.column_names as string[]).join('.') === name)
    return structuredClone(value);
  return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, substitute(v, name, value)]));
}

const aliased = (node: Node, alias: string): Node => ({ ...structuredClone(node), alias });

/** The SELECT as a whole statement, printed back to SQL by DuckDB. */
async function print(node: Node): Promise<string> {
  return deserializeSql({ error: false, statements: [{ node, named_param_map: [] }] });
}

/** A finite number as a SQL literal (the bounds are the catalog's, validated finite). */
function literal(value: number | bigint): string {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('a bound must be finite');
  return String(value);
}

/**
 * The two totals the noise of a SUM or AVG starts from, as the statistics mechanism computes them:
 * the sum of the values clamped into the value range in units of its granularity (each
 * round(v / granularity), clamped to [lower, upper]), exact in HUGEINT, and how many finite values
 * it adds up (NULL, NaN and infinities skipped, as DpSumAccumulator skips them).
 */
async function clampedTotals(bounds: DpBounds): Promise<[Node, Node]> {
  const u = clampUnits(bounds);
  const value = 'TRY_CAST(__ht_column AS DOUBLE)';
  const sum = await template(
    `SELECT sum(CAST(least(greatest(round(${value} / ${literal(u.granularity)}), ${literal(u.lower)}), ${literal(u.upper)}) AS HUGEINT)) FILTER (WHERE isfinite(${value}))`,
  );
  const count = await template(`SELECT count(*) FILTER (WHERE isfinite(${value}))`);
  return [sum, count];
}

/**
 * The answer's query with, after the analyst's columns: `__ht_rows` (count(*): the source rows of
 * the output row), `__ht_c<i>` (count of each aggregated column: the rows an avg or sum actually
 * reads), `__ht_k<j>` (each GROUP BY key, for suppression across the marginals) and, for each
 * noised SUM or AVG (column i of the answer), `__ht_s<i>` and `__ht_v<i>`: its clamped total in
 * units and its count of values (clampedTotals).
 */
export async function answerWithCounts(plan: CheckablePlan, noise?: NoisePlan): Promise<string> {
  const countStar = await template(`SELECT count(*) AS ${CHECK_PREFIX}rows`);
  const countOf = await template('SELECT count(__ht_column)');
  const extra = [
    countStar,
    ...plan.aggregateColumns.map((column, i) =>
      aliased(substitute(countOf, '__ht_column', column) as Node, `${CHECK_PREFIX}c${i}`),
    ),
    ...plan.keys.map((key, j) => aliased(key, `${CHECK_PREFIX}k${j}`)),
  ];
  for (const column of noise?.columns ?? []) {
    if (!column.bounds || !column.argument) continue;
    const [sum, count] = await clampedTotals(column.bounds);
    extra.push(
      aliased(substitute(sum, '__ht_column', column.argument) as Node, `${CHECK_PREFIX}s${column.index}`),
    );
    extra.push(
      aliased(substitute(count, '__ht_column', column.argument) as Node, `${CHECK_PREFIX}v${column.index}`),
    );
  }
  return print({ ...plan.node, select_list: [...(plan.node.select_list as Node[]), ...extra] });
}

/**
 * The effect of each WHERE condition, per group (it runs without the WHERE, over the same GROUP BY):
 * `__ht_n`, the group's rows that satisfy the WHERE, and for condition i, `__ht_t<i>` and `__ht_f<i>`,
 * how many of the group's rows the WHERE would let in or keep out differently were that condition
 * always true, or always false. A condition that changes between 1 and k−1 rows singles out a few
 * people: two queries that differ by it would isolate them (a differencing attack).
 */
export async function conditionEffects(plan: CheckablePlan): Promise<string | null> {
  if (!plan.where) return null;
  const where = plan.where;
  const differs = await template(
    'SELECT count(*) FILTER (WHERE coalesce(__ht_a, false) <> coalesce(__ht_b, false))',
  );
  const within = await template('SELECT count(*) FILTER (WHERE coalesce(__ht_a, false))');
  const truth = await template('SELECT true');
  const falsity = await template('SELECT false');
  const effect = (value: Node, path: number[]) =>
    substitute(substitute(differs, '__ht_a', where), '__ht_b', replaceCondition(where, path, value)) as Node;
  const select: Node[] = [aliased(substitute(within, '__ht_a', where) as Node, `${CHECK_PREFIX}n`)];
  conditionPaths(where).forEach((path, i) => {
    select.push(aliased(effect(truth, path), `${CHECK_PREFIX}t${i}`));
    select.push(aliased(effect(falsity, path), `${CHECK_PREFIX}f${i}`));
  });
  // The keys as resolved (an alias or a position would now name another select item).
  return print({
    ...plan.node,
    select_list: select,
    where_clause: null,
    modifiers: [],
    group_expressions: plan.keys,
  });
}
