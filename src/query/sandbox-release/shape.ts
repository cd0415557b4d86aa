import { BadRequestError } from '../../errors/index.js';
import { aggregateArgument, plain, type ReviewReason, unchecked } from './reasons.js';

// 可用不可见: which shapes of SELECT the output checks can vouch for. A shape they can check runs
// with a source-row count per output row computed beside it (rewrite.ts); a shape they cannot
// (joins, subqueries, windows, set operations, LIMIT, HAVING, …) is held for the steward's release
// review; a query that outputs rows rather than aggregates, or an identifying item as it is, is
// refused outright: no review can release it.

type Node = Record<string, unknown>;

/** Aggregates whose result over at least k rows says nothing of one row in particular. */
const SAFE_AGGREGATES = new Set([
  'count_star',
  'count',
  'sum',
  'avg',
  'mean',
  'stddev',
  'stddev_samp',
  'stddev_pop',
  'var_samp',
  'var_pop',
  'variance',
]);
const COUNTS = new Set(['count_star', 'count']);
/** At most this many conditions are measured for their effect (two counts each). */
const MAX_CONDITIONS = 24;
/** At most this many GROUP BY keys (suppression walks every subset of them). */
const MAX_KEYS = 6;

/** A query whose output the checks can vouch for: the parts the rewrite needs. */
export interface CheckablePlan {
  /** The SELECT node (a copy), as DuckDB's parser gives it. */
  node: Node;
  /** The GROUP BY expressions, positions and select aliases resolved. */
  keys: Node[];
  /** The column each aggregate reads (none for count(*)): each must be non-null in ≥ k rows. */
  aggregateColumns: Node[];
  /** The WHERE clause, if any, and its conditions (the leaves under AND, OR and NOT). */
  where: Node | null;
  conditions: number;
}

export type Shape = { kind: 'checkable'; plan: CheckablePlan } | { kind: 'review'; reasons: ReviewReason[] };

const refuse = (code: 'sandbox_row_level_output' | 'sandbox_identifying_output', message: string): never => {
  throw new BadRequestError(code, message);
};

/** Whether a node is a function call (aggregates among them). */
export const isFunction = (n: Node) => n.class === 'FUNCTION' && typeof n.function_name === 'string';
/** A function call's name, lower-case. */
export const nameOf = (n: Node) => String(n.function_name).toLowerCase();
/** A column reference's column name (the last part), lower-case. */
export const columnOf = (n: Node) =>
  Array.isArray(n.column_names) ? String(n.column_names.at(-1)).toLowerCase() : undefined;

/** Every node under `node` (itself included) that `pick` selects, not descending into subqueries. */
export function collect(node: unknown, pick: (n: Node) => boolean, into: Node[] = []): Node[] {
  if (Array.isArray(node)) {
    for (const child of node) collect(child, pick, into);
    return into;
  }
  if (node === null || typeof node !== 'object') return into;
  const n = node as Node;
  if (pick(n)) into.push(n);
  if (n.class === 'SUBQUERY') return into;
  for (const value of Object.values(n)) collect(value, pick, into);
  return into;
}

/** Whether a tree holds a node `pick` selects, subqueries included. */
function holds(node: unknown, pick: (n: Node) => boolean): boolean {
  if (Array.isArray(node)) return node.some((child) => holds(child, pick));
  if (node === null || typeof node !== 'object') return false;
  const n = node as Node;
  return pick(n) || Object.values(n).some((value) => holds(value, pick));
}

/** Whether a SELECT node outputs rows as they are: no aggregate and no GROUP BY at its level. */
function isRowLevel(node: Node, aggregates: Set<string>): boolean {
  if (node.type === 'SET_OPERATION_NODE')
    return isRowLevel(node.left as Node, aggregates) || isRowLevel(node.right as Node, aggregates);
  if (node.type !== 'SELECT_NODE') return false;
  const grouped = Array.isArray(node.group_expressions) && node.group_expressions.length > 0;
  const aggregated = collect(node.select_list, (n) => isFunction(n) && aggregates.has(nameOf(n))).length > 0;
  return !grouped && !aggregated;
}

/**
 * Judges a parsed SELECT for the sandbox mode. Throws 400 `sandbox_row_level_output` for a query
 * whose top level outputs rows (no aggregate, no GROUP BY) and `sandbox_identifying_output` for an
 * identifying item output or grouped on as it is; answers the checkable plan, or the reasons for
 * a review.
 */
export function judgeShape(statement: Node, identifying: Set<string>, aggregates: Set<string>): Shape {
  const node = structuredClone(statement.node as Node);
  const cteCount = ((node.cte_map as { map?: unknown[] } | undefined)?.map ?? []).length;
  if (isRowLevel(node, aggregates))
    refuse(
      'sandbox_row_level_output',
      'In the sandbox mode only aggregates leave: the query must aggregate (GROUP BY, count, sum, avg…) at its top level',
    );
  const isAggregate = (n: Node) => isFunction(n) && aggregates.has(nameOf(n));
  const mentionsIdentifying = (tree: unknown) =>
    holds(tree, (n) => n.class === 'COLUMN_REF' && identifying.has(columnOf(n) ?? ''));
  const bareIdentifying = (n: Node) => n.class === 'COLUMN_REF' && identifying.has(columnOf(n) ?? '');
  if (node.type === 'SELECT_NODE') {
    const outside = collect(node.select_list, (n) => bareIdentifying(n));
    const inside = collect(node.select_list, isAggregate).flatMap((a) => collect(a, bareIdentifying));
    if (outside.length > inside.length)
      refuse(
        'sandbox_identifying_output',
        'An identifying item (ID number, name, phone…) cannot be output; count it instead',
      );
  }
  if (node.type !== 'SELECT_NODE') return { kind: 'review', reasons: [unchecked('set_operation')] };

  const reasons: ReviewReason[] = [];
  const add = (...found: ReviewReason[]) => reasons.push(...found);
  if (cteCount > 0) add(unchecked('with'));
  const from = node.from_table as Node;
  if (from?.type !== 'BASE_TABLE') add(unchecked(from?.type === 'JOIN' ? 'join' : 'from_subquery'));
  if (from?.sample || node.sample) add(unchecked('tablesample'));
  for (const modifier of (node.modifiers as Node[]) ?? [])
    if (modifier.type !== 'ORDER_MODIFIER')
      add(unchecked(modifier.type === 'DISTINCT_MODIFIER' ? 'distinct' : 'limit'));
  if (node.having) add(unchecked('having'));
  if (node.qualify) add(unchecked('qualify'));
  if (holds(node, (n) => n.class === 'SUBQUERY')) add(unchecked('subquery'));
  if (holds(node, (n) => n.class === 'WINDOW')) add(unchecked('window'));
  if (node.aggregate_handling !== 'STANDARD_HANDLING') add(unchecked('group_by_all'));
  const selectList = node.select_list as Node[];
  const keys = groupKeys(node, selectList);
  if (keys === null) add(unchecked('grouping_sets'));
  else if (keys.length > MAX_KEYS) add(unchecked('too_many_keys', MAX_KEYS));

  const aggregateColumns: Node[] = [];
  for (const call of collect(selectList, isAggregate)) {
    const name = nameOf(call);
    const args = (call.children as Node[]) ?? [];
    if (!SAFE_AGGREGATES.has(name)) {
      add({
        code: 'unsafe_aggregate',
        params: { function: name },
        detail: `${name}(): its value can be one row's value`,
      });
      continue;
    }
    if (
      call.filter ||
      (call.distinct && !COUNTS.has(name)) ||
      ((call.order_bys as { orders?: unknown[] })?.orders ?? []).length > 0
    )
      add(aggregateArgument(name, 'modifier'));
    else if (args.length > 1 || (args.length === 1 && args[0]!.class !== 'COLUMN_REF'))
      // sum(CASE WHEN 姓名 = '…' THEN 收入 END) aggregates over all rows but reads one.
      add(aggregateArgument(name, 'expression'));
    else if (args.length === 1) {
      if (!COUNTS.has(name) && bareIdentifying(args[0]!)) add(aggregateArgument(name, 'identifying'));
      aggregateColumns.push(args[0]!);
    }
    if (holds(args, isAggregate)) add(unchecked('nested_aggregate'));
  }
  for (const key of keys ?? []) {
    if (bareIdentifying(key))
      refuse('sandbox_identifying_output', 'An identifying item cannot be a GROUP BY key');
    if (mentionsIdentifying(key))
      add(plain('identifying_in_group', 'a GROUP BY key computed from an identifying item'));
  }
  const where = (node.where_clause as Node | null) ?? null;
  if (where && mentionsIdentifying(where))
    add(plain('identifying_in_condition', 'WHERE names an identifying item'));
  const conditions = where ? conditionPaths(where).length : 0;
  if (conditions > MAX_CONDITIONS) add(unchecked('too_many_conditions', MAX_CONDITIONS));
  if (reasons.length > 0) return { kind: 'review', reasons };
  return { kind: 'checkable', plan: { node, keys: keys ?? [], aggregateColumns, where, conditions } };
}

/**
 * The GROUP BY expressions, with `GROUP BY 2` and `GROUP BY alias` replaced by the select item they
 * name; null for grouping sets (ROLLUP, CUBE), whose rows aggregate different sets.
 */
function groupKeys(node: Node, selectList: Node[]): Node[] | null {
  const expressions = (node.group_expressions as Node[]) ?? [];
  const sets = (node.group_sets as number[][]) ?? [];
  const plain =
    sets.length === (expressions.length > 0 ? 1 : 0) && (sets[0]?.length ?? 0) === expressions.length;
  if (!plain) return null;
  const aliases = new Map(selectList.filter((s) => s.alias).map((s) => [String(s.alias).toLowerCase(), s]));
  return expressions.map((e) => {
    const value = (e.value as { value?: unknown } | undefined)?.value;
    if (e.class === 'CONSTANT' && typeof value === 'number' && selectList[value - 1])
      return { ...selectList[value - 1]!, alias: '' };
    const named =
      e.class === 'COLUMN_REF' && (e.column_names as unknown[]).length === 1
        ? aliases.get(columnOf(e)!)
        : undefined;
    // A select alias that is also a column's name means the column in GROUP BY (DuckDB's rule too).
    return named && !(named.class === 'COLUMN_REF' && columnOf(named) === columnOf(e))
      ? { ...named, alias: '' }
      : e;
  });
}

/** Paths (as child indices) to the conditions of a WHERE: the leaves under AND, OR and NOT. */
export function conditionPaths(where: Node, path: number[] = []): number[][] {
  const connective = where.class === 'CONJUNCTION' || where.type === 'OPERATOR_NOT';
  if (!connective) return [path];
  return ((where.children as Node[]) ?? []).flatMap((child, i) => conditionPaths(child, [...path, i]));
}

/** The WHERE with the condition at `path` replaced by `value` (a constant node). */
export function replaceCondition(where: Node, path: number[], value: Node): Node {
  if (path.length === 0) return value;
  const children = [...(where.children as Node[])];
  children[path[0]!] = replaceCondition(children[path[0]!]!, path.slice(1), value);
  return { ...where, children };
}
