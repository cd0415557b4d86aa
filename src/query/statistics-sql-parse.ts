import { BadRequestError } from '../errors/index.js';
import type { ConsumerFilter } from './consumer-filter.js';
import { serializeSql } from './duckdb-parser.js';

/** The SQL a statistics grant accepts, as a refusal lists it (docs/privacy.md says the same). */
export const STATISTICS_SQL_ALLOWED = [
  'SELECT [group item,] COUNT(*) | SUM(item) | AVG(item) [AS name], … (at most 10 measures)',
  'FROM one resource (its code, quoted, or an alias), optionally with a table alias',
  "WHERE conditions joined by AND: item = literal, item >= | <= | < literal, item BETWEEN a AND b, item IN (literals), item LIKE 'pattern', item IS [NOT] NULL",
  'GROUP BY one item, with the public list of groups in WHERE: item IN (…) or item = …',
  'literals: strings, finite numbers, DATE or TIMESTAMP strings',
];

/** One output column of a statistics SELECT, in the order written. */
export type StatisticsOutput =
  | { kind: 'group'; name: string }
  | { kind: 'measure'; name: string; fn: 'count' | 'sum' | 'avg'; column?: string };

/** A statistics SELECT in the subset, with column names as the SQL spells them. */
export interface StatisticsSelect {
  table: string;
  outputs: StatisticsOutput[];
  group?: { column: string; groups: string[] };
  filters: ConsumerFilter[];
}

type Node = Record<string, unknown>;
type Scalar = string | number;

/** The refusal of anything outside the subset: what was found, and what is allowed. */
export const unsupported = (construct: string): never => {
  throw new BadRequestError(
    'statistics_sql_unsupported',
    `A statistics grant answers only a subset of SELECT; not supported: ${construct}`,
    { construct, allowed: STATISTICS_SQL_ALLOWED },
  );
};

const MODIFIERS: Record<string, string> = {
  ORDER_MODIFIER: 'ORDER BY',
  LIMIT_MODIFIER: 'LIMIT',
  LIMIT_PERCENT_MODIFIER: 'LIMIT',
  DISTINCT_MODIFIER: 'DISTINCT',
};
const OPERATORS: Record<string, string> = {
  CONJUNCTION_OR: 'OR',
  OPERATOR_NOT: 'NOT',
  COMPARE_NOTEQUAL: '<> (not equal)',
  COMPARE_GREATERTHAN: '> (write >= with the next value)',
  COMPARE_NOT_IN: 'NOT IN',
  COMPARE_DISTINCT_FROM: 'IS DISTINCT FROM',
  COMPARE_NOT_DISTINCT_FROM: 'IS NOT DISTINCT FROM',
  SUBQUERY: 'a subquery',
};
const INTEGER_TYPES = new Set([
  'TINYINT',
  'SMALLINT',
  'INTEGER',
  'BIGINT',
  'UTINYINT',
  'USMALLINT',
  'UINTEGER',
]);
const FLOAT_TYPES = new Set(['FLOAT', 'DOUBLE']);

const isColumn = (n: unknown): boolean => (n as Node | null)?.class === 'COLUMN_REF';
const columnName = (n: Node) => String((n.column_names as string[]).at(-1));
const describe = (n: Node) => OPERATORS[String(n.type)] ?? String(n.function_name ?? n.type ?? n.class);

/** A literal's value: strings, finite numbers that JS holds exactly, DATE/TIMESTAMP strings. */
function literal(n: unknown): Scalar {
  const node = n as Node;
  if (node?.class === 'CAST') {
    const to = String((node.cast_type as Node | undefined)?.id);
    const child = node.child as Node;
    if (['DATE', 'TIMESTAMP'].includes(to) && child?.class === 'CONSTANT') {
      const value = literal(child);
      if (typeof value === 'string') return value;
    }
    return unsupported(`CAST to ${to}`);
  }
  if (node?.class !== 'CONSTANT') return unsupported(`${describe(node)} where a literal is expected`);
  const { type, value, is_null } = node.value as {
    type: { id: string; type_info?: Node };
    value: unknown;
    is_null?: boolean;
  };
  if (is_null) return unsupported('NULL as a value (write IS NULL)');
  if (type.id === 'VARCHAR' && typeof value === 'string') return value;
  if (typeof value !== 'number') return unsupported(`the ${type.id} literal (out of range)`);
  if (!Number.isFinite(value)) return unsupported('a non-finite number (NaN or ∞)');
  if (INTEGER_TYPES.has(type.id) && Number.isSafeInteger(value)) return value;
  if (FLOAT_TYPES.has(type.id)) return value;
  if (type.id === 'DECIMAL' && Number.isSafeInteger(value)) {
    const scale = Number(type.type_info?.scale ?? 0);
    return Number((value / 10 ** scale).toFixed(scale));
  }
  return unsupported(`the ${type.id} literal`);
}

// Comparisons with the column on the left; one with the column on the right is turned round.
const FLIPPED: Record<string, string> = {
  COMPARE_EQUAL: 'COMPARE_EQUAL',
  COMPARE_GREATERTHANOREQUALTO: 'COMPARE_LESSTHANOREQUALTO',
  COMPARE_LESSTHANOREQUALTO: 'COMPARE_GREATERTHANOREQUALTO',
  COMPARE_LESSTHAN: 'COMPARE_GREATERTHAN',
  COMPARE_GREATERTHAN: 'COMPARE_LESSTHAN',
};

function comparison(n: Node): ConsumerFilter {
  const [columnSide, valueSide, type] = isColumn(n.left)
    ? [n.left, n.right, String(n.type)]
    : isColumn(n.right)
      ? [n.right, n.left, FLIPPED[String(n.type)] ?? String(n.type)]
      : unsupported('a comparison that is not item against literal');
  const column = columnName(columnSide as Node);
  const value = literal(valueSide);
  switch (type) {
    case 'COMPARE_EQUAL':
      return { column, op: 'eq', value };
    case 'COMPARE_GREATERTHANOREQUALTO':
      return { column, op: 'range', min: value, maxInclusive: true };
    case 'COMPARE_LESSTHANOREQUALTO':
      return { column, op: 'range', max: value, maxInclusive: true };
    case 'COMPARE_LESSTHAN':
      return { column, op: 'range', max: value, maxInclusive: false };
    default:
      return unsupported(OPERATORS[type] ?? type);
  }
}

/** One condition of the WHERE clause (a conjunct) as a filter over the consumer's columns. */
function condition(n: Node): ConsumerFilter {
  if (n.class === 'COMPARISON') return comparison(n);
  if (n.type === 'COMPARE_BETWEEN' && isColumn(n.input))
    return {
      column: columnName(n.input as Node),
      op: 'range',
      min: literal(n.lower),
      max: literal(n.upper),
      maxInclusive: true,
    };
  const children = (n.children as Node[] | undefined) ?? [];
  const [first, ...rest] = children;
  if (n.type === 'COMPARE_IN' && isColumn(first)) {
    if (rest.length > 200) unsupported('IN with more than 200 values');
    return { column: columnName(first as Node), op: 'in', values: rest.map(literal) };
  }
  if ((n.type === 'OPERATOR_IS_NULL' || n.type === 'OPERATOR_IS_NOT_NULL') && isColumn(first))
    return { column: columnName(first as Node), op: 'is_null', value: n.type === 'OPERATOR_IS_NULL' };
  if (n.class === 'FUNCTION' && n.function_name === '~~' && isColumn(first) && rest.length === 1) {
    const pattern = literal(rest[0]);
    if (typeof pattern !== 'string') unsupported('LIKE with a number');
    return { column: columnName(first as Node), op: 'like', pattern: String(pattern) };
  }
  return unsupported(`${describe(n)} in WHERE`);
}

function conjuncts(n: Node | null | undefined): Node[] {
  if (!n) return [];
  if (n.type === 'CONJUNCTION_AND') return (n.children as Node[]).flatMap(conjuncts);
  return [n];
}

const AGGREGATES: Record<string, 'sum' | 'avg'> = { sum: 'sum', avg: 'avg', mean: 'avg' };

function output(n: Node): StatisticsOutput {
  if (isColumn(n)) return { kind: 'group', name: String(n.alias || columnName(n)) };
  if (n.class === 'WINDOW') unsupported('a window function (OVER …)');
  if (n.class !== 'FUNCTION' || n.is_operator) return unsupported(`${describe(n)} in the select list`);
  const name = String(n.function_name).toLowerCase();
  const children = (n.children as Node[] | undefined) ?? [];
  const plain =
    !n.distinct &&
    !n.filter &&
    !n.export_state &&
    !n.schema &&
    !n.catalog &&
    ((n.order_bys as { orders?: unknown[] } | undefined)?.orders?.length ?? 0) === 0;
  if (!plain) unsupported(`${name} with DISTINCT, FILTER, ORDER BY or a schema`);
  if (name === 'count_star' && children.length === 0)
    return { kind: 'measure', name: String(n.alias || 'count'), fn: 'count' };
  const fn = AGGREGATES[name];
  if (fn && children.length === 1 && isColumn(children[0])) {
    const column = columnName(children[0]!);
    return { kind: 'measure', name: String(n.alias || `${fn}(${column})`), fn, column };
  }
  if (name === 'count') return unsupported('COUNT(item): write COUNT(*) with WHERE item IS NOT NULL');
  return unsupported(`the function ${name}`);
}

/**
 * Reads a consumer's SELECT, already accepted by the sandbox guard, as a statistics query, with
 * DuckDB's own parser: the subset of STATISTICS_SQL_ALLOWED, anything else refused naming the
 * construct. Column names are returned as written; the caller resolves them against the grant.
 */
export async function parseStatisticsSelect(sql: string): Promise<StatisticsSelect> {
  const tree = (await serializeSql(sql)) as { statements: Array<{ node: Node }> };
  const node = tree.statements[0]!.node;
  if (node.type !== 'SELECT_NODE')
    return unsupported(`${String(node.type).replace('_NODE', '')} (one SELECT only)`);
  if (((node.cte_map as { map?: unknown[] } | undefined)?.map?.length ?? 0) > 0) unsupported('WITH');
  for (const modifier of (node.modifiers as Node[] | undefined) ?? [])
    unsupported(MODIFIERS[String(modifier.type)] ?? String(modifier.type));
  for (const clause of ['having', 'qualify', 'sample'] as const)
    if (node[clause]) unsupported(clause.toUpperCase());
  if (node.aggregate_handling !== 'STANDARD_HANDLING') unsupported('GROUP BY ALL');
  const from = node.from_table as Node;
  if (from?.type !== 'BASE_TABLE')
    return unsupported(`${String(from?.type ?? 'no FROM')} in FROM (one resource only)`);
  if (from.sample) unsupported('TABLESAMPLE');

  const groupBy = (node.group_expressions as Node[] | undefined) ?? [];
  const sets = (node.group_sets as unknown[] | undefined) ?? [];
  if (groupBy.length > 1 || sets.length > 1)
    unsupported('GROUP BY over more than one item, ROLLUP, CUBE or GROUPING SETS');
  if (groupBy.length === 1 && !isColumn(groupBy[0]))
    unsupported('GROUP BY an expression or a position (name the item)');
  const groupColumn = groupBy[0] ? columnName(groupBy[0]) : undefined;

  const outputs = (node.select_list as Node[]).map((n) => {
    const out = output(n);
    if (out.kind === 'group' && columnName(n).toLowerCase() !== groupColumn?.toLowerCase())
      unsupported(`the item ${columnName(n)} outside an aggregate (only the GROUP BY item may be selected)`);
    return out;
  });
  const measures = outputs.filter((o) => o.kind === 'measure');
  if (measures.length === 0) unsupported('a SELECT without COUNT, SUM or AVG');
  if (measures.length > 10) unsupported('more than 10 measures');
  const names = outputs.map((o) => o.name.toLowerCase());
  if (new Set(names).size !== names.length) unsupported('two output columns of the same name (use AS)');

  const filters = conjuncts(node.where_clause as Node | null).map(condition);
  let group: StatisticsSelect['group'];
  if (groupColumn) {
    const list = filters.find(
      (f) => f.column.toLowerCase() === groupColumn.toLowerCase() && (f.op === 'in' || f.op === 'eq'),
    );
    if (!list)
      unsupported(
        `GROUP BY ${groupColumn} without its public list of groups: add WHERE ${groupColumn} IN (…)`,
      );
    const values = list!.op === 'in' ? list!.values : list!.op === 'eq' ? [list!.value] : [];
    group = { column: groupColumn, groups: [...new Set(values.map(String))] };
  }
  return { table: String(from.table_name), outputs, group, filters };
}
