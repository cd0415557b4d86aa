import type { HmacKey } from '../../privacy/index.js';
import type { ExpressionContext, SqlCondition } from '../../sources/index.js';
import { expression } from '../read-view.js';
import { isClear, type SecureView, type ViewColumn } from '../secure-view.js';
import type { Literal, PushedPredicate } from './predicate.js';

type Dialect = 'postgres' | 'mysql' | 'duckdb';

// Native types whose comparisons agree with the sandbox's (integers exactly; text by bytes for
// equality, or more loosely: MySQL's case- and pad-insensitive collations only let more rows
// through, which the sandbox then drops). char(n), uuid, enums and the like are left out: their
// text in the sandbox is not what the source compares (padding), or a literal could fail to cast.
const NATIVE: Record<Dialect, { integer: RegExp; text: RegExp }> = {
  postgres: { integer: /^(smallint|integer|bigint)$/, text: /^(text|character varying(\(\d+\))?)$/ },
  mysql: {
    integer: /^(tinyint|smallint|mediumint|int|bigint)(\(\d+\))?( unsigned)?$/i,
    text: /^(varchar\(\d+\)|tinytext|text|mediumtext|longtext)$/i,
  },
  duckdb: { integer: /^(TINYINT|SMALLINT|INTEGER|BIGINT)$/, text: /^VARCHAR$/ },
};

// A MySQL collation may hold 'a' and 'A ' equal: a row the sandbox keeps for `<>` could be dropped.
const looseInequality = (dialect: Dialect) => dialect === 'mysql';

/** Whether the source compares this column as the sandbox compares what it was given of it. */
function comparesAlike(column: ViewColumn, dialect: Dialect, context: ExpressionContext): boolean {
  // A mask's output is text the source computed; the sandbox holds exactly that text.
  if (!isClear(column.mask)) return true;
  const native = context.nativeType?.(column.source);
  if (native === undefined) return false;
  return (column.type === 'integer' ? NATIVE[dialect].integer : NATIVE[dialect].text).test(native);
}

/** A literal bound as a typed parameter: integers cast to the widest integer so no source-side cast fails. */
function bound(literal: Literal, dialect: Dialect, context: ExpressionContext): string {
  const placeholder = context.bind(literal.value);
  if (literal.kind === 'integer' && dialect !== 'mysql') return `CAST(${placeholder} AS BIGINT)`;
  return placeholder;
}

/** One predicate in the source's SQL, or TRUE (nothing left out) when the source might compare otherwise. */
function predicateSql(
  predicate: PushedPredicate,
  column: ViewColumn,
  dialect: Dialect,
  hmacKey: HmacKey,
  context: ExpressionContext,
): string {
  const target = () => `(${expression(column, dialect, hmacKey).build(context)})`;
  if (predicate.op === 'is_null' || predicate.op === 'is_not_null')
    return `${target()} IS ${predicate.op === 'is_null' ? '' : 'NOT '}NULL`;
  if (!comparesAlike(column, dialect, context)) return 'TRUE';
  const text = column.type === 'string';
  switch (predicate.op) {
    case 'like':
      return `${target()} LIKE ${context.bind(predicate.pattern)}`;
    case 'in':
    case 'not_in': {
      if (predicate.op === 'not_in' && text && looseInequality(dialect)) return 'TRUE';
      const left = target();
      const values = predicate.values.map((v) => bound(v, dialect, context));
      return `${left} ${predicate.op === 'in' ? 'IN' : 'NOT IN'} (${values.join(', ')})`;
    }
    default: {
      if (!('value' in predicate)) return 'TRUE';
      if (predicate.op === '<>' && text && looseInequality(dialect)) return 'TRUE';
      const left = target();
      return `${left} ${predicate.op} ${bound(predicate.value, dialect, context)}`;
    }
  }
}

/**
 * The pushed predicates of one view as conditions of its read, each on the column's delivered
 * expression (its mask, with the consumer's key), its literal a bound parameter.
 */
export function pushedConditions(
  view: SecureView,
  predicates: PushedPredicate[],
  dialect: Dialect,
  hmacKey: HmacKey,
): SqlCondition[] {
  const byName = new Map(view.columns.map((c) => [c.name, c]));
  return predicates.map((predicate) => ({
    build: (context) => predicateSql(predicate, byName.get(predicate.column)!, dialect, hmacKey, context),
  }));
}
