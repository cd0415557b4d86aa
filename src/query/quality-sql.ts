import {
  CREDIT_CODE_PATTERN,
  creditCodeCheckSql,
  RESIDENT_ID_PATTERN,
  residentIdCheckSql,
} from '../privacy/index.js';
import type { ColumnType, ExpressionContext, ReadFrom } from '../sources/index.js';

// The SQL of the data-quality checks (数据质量), pushed into the source: each check is a pair of
// row predicates, "counted" and "failed" (failed rows are a subset of counted ones), summed in one
// aggregate SELECT per run, and the failed predicate alone is the WHERE of the read of samples.
// Values are bound or are the platform's own constants; identifiers are checked and quoted.

/** What a value must look like (validity, 有效性): a catalog data type or a Chinese identifier. */
export type ValidityFormat = 'number' | 'date' | 'datetime' | 'boolean' | 'id_number' | 'credit_code';

// No backslashes: the same pattern reads alike as a bound value on every source.
const PATTERNS: Record<Exclude<ValidityFormat, 'id_number' | 'credit_code'>, string> = {
  number: '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$',
  date: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$',
  datetime:
    '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T][0-2][0-9]:[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?)?([+-][0-9]{2}(:?[0-9]{2})?|Z)?$',
  boolean: '^(true|false|TRUE|FALSE|True|False|t|f|T|F|0|1|yes|no|Y|N|y|n|是|否)$',
};

// Source column types whose values are valid for a format by construction: no check runs.
const TYPED: Partial<Record<ValidityFormat, ColumnType[]>> = {
  number: ['integer', 'number', 'decimal'],
  date: ['date'],
  datetime: ['date', 'timestamp'],
  boolean: ['boolean'],
};

/** A row predicate in the source's dialect. */
export type Predicate = (c: ExpressionContext) => string;

/** The text of a column in the dialect (a number or date column read as its text). */
export function asText(c: ExpressionContext, column: string): string {
  const type = c.dialect === 'mysql' ? 'CHAR' : c.dialect === 'duckdb' ? 'VARCHAR' : 'text';
  return `CAST(${c.column(column)} AS ${type})`;
}

/** Whether text matches a pattern (bound); MySQL's REGEXP follows the collation, so it is told the case. */
function matches(c: ExpressionContext, text: string, pattern: string): string {
  if (c.dialect === 'postgres') return `(${text} ~ ${c.bind(pattern)})`;
  if (c.dialect === 'mysql') return `(${text} REGEXP ${c.bind(`(?-i)${pattern}`)})`;
  return `regexp_matches(${text}, ${c.bind(pattern)})`;
}

/** The column holds a value: not NULL and not blank text. */
export const present =
  (column: string): Predicate =>
  (c) =>
    `(${c.column(column)} IS NOT NULL AND TRIM(${asText(c, column)}) <> '')`;

/** 完整性: the column is NULL or blank. */
export const missing =
  (column: string): Predicate =>
  (c) =>
    `NOT ${present(column)(c)}`;

/**
 * 有效性: a present value that does not have the format; for ID numbers and credit codes the
 * format and the check character (privacy/'s GB 11643 and GB 32100 checks as SQL).
 */
export function invalid(column: string, format: ValidityFormat, type: ColumnType): Predicate {
  if (TYPED[format]?.includes(type)) return () => '1 = 0';
  return (c) => {
    const text = asText(c, column);
    const valid =
      format === 'id_number'
        ? `${matches(c, text, RESIDENT_ID_PATTERN)} AND ${residentIdCheckSql(text)}`
        : format === 'credit_code'
          ? `${matches(c, text, CREDIT_CODE_PATTERN)} AND ${creditCodeCheckSql(text)}`
          : matches(c, `TRIM(${text})`, PATTERNS[format]);
    return `(${present(column)(c)} AND NOT (${valid}))`;
  };
}

const relationOf = (c: ExpressionContext, from: ReadFrom) => {
  if (!c.relation || !c.quote) throw new Error('the connector cannot name another relation');
  return { relation: c.relation(from), quote: c.quote };
};

/** Every key column is present (the rows a uniqueness check counts). */
export const keyPresent =
  (columns: string[]): Predicate =>
  (c) =>
    columns.map((k) => `${c.column(k)} IS NOT NULL`).join(' AND ');

/**
 * 唯一性: the row's key occurs more than once. An uncorrelated `IN (SELECT … GROUP BY … HAVING
 * COUNT(*) > 1)` over the same relation, which each engine runs as one hashed pass.
 */
export function duplicated(from: ReadFrom, columns: string[]): Predicate {
  return (c) => {
    const { relation, quote } = relationOf(c, from);
    const inner = columns.map(quote).join(', ');
    const outer = columns.map((k) => c.column(k)).join(', ');
    const notNull = columns.map((k) => `${quote(k)} IS NOT NULL`).join(' AND ');
    const [l, r] = columns.length > 1 ? ['(', ')'] : ['', ''];
    return `(${keyPresent(columns)(c)} AND ${l}${outer}${r} IN (SELECT ${inner} FROM ${relation} WHERE ${notNull} GROUP BY ${inner} HAVING COUNT(*) > 1))`;
  };
}

/**
 * 关联一致性: a present value with no row of the referenced relation (another resource of the same
 * source) holding it; both sides compared as text so that an integer key meets its text copy.
 */
export function dangling(column: string, target: { from: ReadFrom; column: string }): Predicate {
  return (c) => {
    const { relation, quote } = relationOf(c, target.from);
    const type = c.dialect === 'mysql' ? 'CHAR' : c.dialect === 'duckdb' ? 'VARCHAR' : 'text';
    const ref = quote(target.column);
    return `(${c.column(column)} IS NOT NULL AND ${asText(c, column)} NOT IN (SELECT CAST(${ref} AS ${type}) FROM ${relation} WHERE ${ref} IS NOT NULL))`;
  };
}

/** `SUM(CASE WHEN p THEN 1 ELSE 0 END)`: how many rows a predicate holds for, 0 on an empty table. */
export const countWhere =
  (p: Predicate): Predicate =>
  (c) =>
    `COALESCE(SUM(CASE WHEN ${p(c)} THEN 1 ELSE 0 END), 0)`;
