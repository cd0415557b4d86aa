import type { HmacKey } from '../../privacy/index.js';
import type { ExpressionContext, SqlCondition } from '../../sources/index.js';
import { expression } from '../read-view.js';
import { isClear, type SecureView, type ViewColumn } from '../secure-view.js';
import type { Literal, PushedPredicate } from './predicate.js';

type Dialect = 'postgres' | 'mysql' | 'duckdb';

// Native text types whose text in the sandbox is what the source compares. char(n), uuid,
// enums and the like are left out: the sandbox holds char(n) padded (the source compares it
// unpadded), and a literal that is no uuid would fail to cast in the source. Integer columns
// need no such check: every native type normalised to 'integer' compares integers exactly.
const TEXT: Record<Dialect, RegExp> = {
  postgres: /^(text|character varying(\(\d+\))?)$/,
  mysql: /^(varchar\(\d+\)|tinytext|text|mediumtext|longtext)$/i,
  duckdb: /^VARCHAR$/,
};

/** Whether the source compares this column as the sandbox compares what it was given of it. */
export function comparesAlike(column: ViewColumn, dialect: Dialect, native: string | undefined): boolean {
  if (column.type === 'integer' || !isClear(column.mask)) return true;
  return native !== undefined && TEXT[dialect].test(native);
}

const isNullTest = (p: PushedPredicate) => p.op === 'is_null' || p.op === 'is_not_null';

/**
 * Whether the source keeps exactly the rows the sandbox keeps for a predicate — not merely all
 * of them and some more (MySQL's collations hold 'a' and 'A ' equal; a predicate the source
 * could not compare alike is not sent at all): a limit can follow only exact predicates.
 */
export function exactIn(
  predicate: PushedPredicate,
  column: ViewColumn,
  dialect: Dialect,
  native: string | undefined,
): boolean {
  if (isNullTest(predicate) || column.type === 'integer') return true;
  return dialect !== 'mysql' && comparesAlike(column, dialect, native);
}

/** Whether `exactIn` can answer without the column's native type. */
export function exactWithoutNative(
  predicate: PushedPredicate,
  column: ViewColumn,
  dialect: Dialect,
): boolean {
  return isNullTest(predicate) || column.type === 'integer' || (dialect !== 'mysql' && !isClear(column.mask));
}

// A MySQL collation may hold 'a' and 'A ' equal: a row the sandbox keeps for `<>` could be dropped.
const looseInequality = (dialect: Dialect) => dialect === 'mysql';

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
  if (!comparesAlike(column, dialect, context.nativeType?.(column.source))) return 'TRUE';
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
