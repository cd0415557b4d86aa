import { sourceError } from '../errors.js';
import type { ExpressionContext, ParsedReadPlan, ReadFrom } from '../plan.js';
import type { DescribedColumn, ResultColumn } from '../types.js';
import type { SqlDialect } from './dialect.js';
import { type Bind, checkValue, filterSql } from './filters.js';

/** A SELECT ready to run: text with placeholders, the values to bind, the result's columns. */
export interface BuiltSelect {
  text: string;
  params: unknown[];
  columns: ResultColumn[];
}

/** The described columns by name; a name not among them is a 400 `unknown_column`. */
export function columnLookup(described: DescribedColumn[]): (name: string) => DescribedColumn {
  const byName = new Map(described.map((c) => [c.name, c]));
  return (name) => {
    const column = byName.get(name);
    if (!column)
      throw sourceError('unknown_column', `The source has no column ${JSON.stringify(name)}`, {
        column: name,
      });
    return column;
  };
}

/**
 * Builds the pushed-down SELECT in the source's dialect. Every identifier is checked against
 * `described` and quoted; every value is a bound parameter; limit and offset are validated integers.
 * `relation` is the already-quoted FROM item (a table, or the steward's SELECT as a subquery).
 * With `literal`, values are rendered by it instead of bound (COPY takes no parameters): the
 * caller's renderer escapes them with the driver's own escaping, after the checks above.
 */
export function buildSelect(
  dialect: SqlDialect,
  plan: ParsedReadPlan,
  relation: string,
  described: DescribedColumn[],
  relationOf?: (from: ReadFrom) => string,
  literal?: (value: unknown) => string,
): BuiltSelect {
  const lookup = columnLookup(described);
  const params: unknown[] = [];
  const bind: Bind = literal
    ? literal
    : (value) => {
        params.push(value);
        return dialect.placeholder(params.length);
      };
  const ref = (name: string) => dialect.quote(lookup(name).name);

  const names = plan.columns ?? described.map((c) => c.name);
  const columns: ResultColumn[] = names.map((n) => ({ name: n, type: lookup(n).type }));
  const select = names.map(ref);
  const context: ExpressionContext = {
    dialect: dialect.name,
    column: ref,
    bind,
    quote: dialect.quote,
    nativeType: (name) => lookup(name).nativeType,
    ...(relationOf ? { relation: relationOf } : {}),
  };
  for (const expression of plan.expressions ?? []) {
    if (columns.some((c) => c.name === expression.alias))
      throw sourceError('invalid_read_plan', `Duplicate output column ${expression.alias}`);
    select.push(`${expression.build(context)} AS ${dialect.quote(expression.alias)}`);
    columns.push({ name: expression.alias, type: expression.type });
  }
  if (select.length === 0) throw sourceError('invalid_read_plan', 'The read selects no column');

  const conditions = plan.filters.map((f) => `(${filterSql(f, lookup(f.column), ref(f.column), bind)})`);
  for (const condition of plan.conditions ?? []) conditions.push(`(${condition.build(context)})`);
  if (plan.after) conditions.push(keyset(plan, lookup, ref, bind));
  if (plan.groupCount)
    return groupCountSelect(dialect, plan, { select, columns, conditions, relation, bind, params });

  return {
    text: [
      `SELECT ${select.join(', ')} FROM ${relation}`,
      conditions.length ? `WHERE ${conditions.join(' AND ')}` : '',
      plan.sort.length
        ? `ORDER BY ${plan.sort.map((s) => dialect.orderBy(ref(s.column), s.direction)).join(', ')}`
        : '',
      dialect.limit(plan.limit, plan.offset),
    ]
      .filter(Boolean)
      .join(' '),
    params,
    columns,
  };
}

/**
 * Rows strictly after `plan.after` in sort order, expanded as (a > x) OR (a = x AND b > y) …
 * so that mixed directions work everywhere. Sort keys used for keyset paging must be non-null.
 */
function keyset(
  plan: ParsedReadPlan,
  lookup: (name: string) => DescribedColumn,
  ref: (name: string) => string,
  bind: Bind,
): string {
  const after = plan.after ?? [];
  const branches = plan.sort.map((key, i) => {
    const equal = plan.sort
      .slice(0, i)
      .map((k, j) => `${ref(k.column)} = ${bind(checkValue(lookup(k.column), after[j]))}`);
    const op = key.direction === 'asc' ? '>' : '<';
    return [...equal, `${ref(key.column)} ${op} ${bind(checkValue(lookup(key.column), after[i]))}`].join(
      ' AND ',
    );
  });
  return `(${branches.map((b) => `(${b})`).join(' OR ')})`;
}

/**
 * `SELECT key…, COUNT(*) … GROUP BY 1, 2… HAVING COUNT(*) < ? ORDER BY COUNT(*) LIMIT n`: the
 * groups by ordinal, so that an expression (a mask with bound parameters) is written once.
 */
function groupCountSelect(
  dialect: SqlDialect,
  plan: ParsedReadPlan,
  parts: {
    select: string[];
    columns: ResultColumn[];
    conditions: string[];
    relation: string;
    bind: Bind;
    params: unknown[];
  },
): BuiltSelect {
  const { select, columns, conditions, relation, bind, params } = parts;
  const group = plan.groupCount!;
  const keys = select.map((_, i) => String(i + 1));
  const below = group.below === undefined ? '' : `HAVING COUNT(*) < ${bind(group.below)}`;
  return {
    text: [
      `SELECT ${select.join(', ')}, COUNT(*) AS ${dialect.quote(group.alias)} FROM ${relation}`,
      conditions.length ? `WHERE ${conditions.join(' AND ')}` : '',
      `GROUP BY ${keys.join(', ')}`,
      below,
      'ORDER BY COUNT(*)',
      dialect.limit(plan.limit, undefined),
    ]
      .filter(Boolean)
      .join(' '),
    params,
    columns: [...columns, { name: group.alias, type: 'integer' }],
  };
}
