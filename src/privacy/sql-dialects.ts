import { z } from 'zod';
import { PrivacyError } from './errors.js';

/** Zod schema of the SQL dialects the mask builders target. */
export const sqlDialectSchema = z.enum(['postgres', 'mysql', 'duckdb']);
/** PostgreSQL (≥ 11), MySQL 8 / MariaDB 10.5+, or DuckDB (≥ 1.1). */
export type SqlDialectName = z.infer<typeof sqlDialectSchema>;

/** The few dialect-specific primitives the masks are built from (all character-, not byte-based). */
export interface SqlDialect {
  name: SqlDialectName;
  text(x: string): string;
  len(x: string): string;
  left(x: string, n: string): string;
  right(x: string, n: string): string;
  concat(...parts: string[]): string;
  onlyDigits(x: string): string;
  int(x: string): string;
  idiv(a: string, b: string): string;
  /** Whether `x` holds a match of `pattern` (a `regex()` literal). */
  matches(x: string, pattern: string): string;
  /** Capture group 1 of the anchored `pattern` in `x`: NULL or '' when there is no match. */
  group1(x: string, pattern: string): string;
  /** SHA-256 over (bytes of hex `padHex`) ‖ (bytes), as lower-case hex text. */
  sha256Hex(padHex: string, bytes: string): string;
  utf8(x: string): string;
  unhex(x: string): string;
}

/**
 * Quotes a literal that the builders themselves produce. Only a safe alphabet is accepted (no
 * quote, backslash or control character), so the literal reads the same in every dialect and
 * under every `sql_mode`; anything else is refused rather than escaped.
 */
export function lit(s: string): string {
  if (!/^[\p{L}\p{N}*+\-_. ]*$/u.test(s))
    throw new PrivacyError('invalid_argument', 'unsafe SQL literal refused');
  return `'${s}'`;
}

/**
 * Quotes a regular expression that the builders themselves produce (no quote, backslash or
 * control character, so it reads the same in every dialect, under every `sql_mode`).
 */
export function regex(s: string): string {
  if (/['\\\p{Cc}]/u.test(s)) throw new PrivacyError('invalid_argument', 'unsafe SQL pattern refused');
  return `'${s}'`;
}

const postgres: SqlDialect = {
  name: 'postgres',
  text: (x) => `CAST(${x} AS text)`,
  len: (x) => `char_length(${x})`,
  left: (x, n) => `left(${x}, ${n})`,
  right: (x, n) => `right(${x}, ${n})`,
  concat: (...p) => `(${p.join(' || ')})`,
  onlyDigits: (x) => `(${x} !~ '[^0-9]')`,
  int: (x) => `CAST(${x} AS integer)`,
  idiv: (a, b) => `(${a} / ${b})`,
  matches: (x, p) => `(${x} ~ ${p})`,
  // substring(… from …) returns the first parenthesised subexpression.
  group1: (x, p) => `substring(${x} from ${p})`,
  sha256Hex: (pad, bytes) => `encode(sha256(decode(${pad}, 'hex') || ${bytes}), 'hex')`,
  utf8: (x) => `convert_to(${x}, 'UTF8')`,
  unhex: (x) => `decode(${x}, 'hex')`,
};

const mysql: SqlDialect = {
  name: 'mysql',
  text: (x) => `CAST(${x} AS CHAR)`,
  len: (x) => `CHAR_LENGTH(${x})`,
  left: (x, n) => `LEFT(${x}, ${n})`,
  right: (x, n) => `RIGHT(${x}, ${n})`,
  concat: (...p) => `CONCAT(${p.join(', ')})`,
  onlyDigits: (x) => `(${x} NOT REGEXP '[^0-9]')`,
  int: (x) => `CAST(${x} AS SIGNED)`,
  idiv: (a, b) => `(${a} DIV ${b})`,
  matches: (x, p) => `(${x} REGEXP ${p})`,
  // The whole match, which is group 1 for the anchored patterns used here; '' (MariaDB) or NULL (MySQL) if none.
  group1: (x, p) => `REGEXP_SUBSTR(${x}, ${p})`,
  sha256Hex: (pad, bytes) => `SHA2(CONCAT(UNHEX(${pad}), ${bytes}), 256)`,
  utf8: (x) => `CAST(CONVERT(${x} USING utf8mb4) AS BINARY)`,
  unhex: (x) => `UNHEX(${x})`,
};

const duckdb: SqlDialect = {
  name: 'duckdb',
  text: (x) => `CAST(${x} AS VARCHAR)`,
  len: (x) => `length(${x})`,
  left: (x, n) => `left(${x}, ${n})`,
  right: (x, n) => `right(${x}, ${n})`,
  concat: (...p) => `(${p.join(' || ')})`,
  onlyDigits: (x) => `(NOT regexp_matches(${x}, '[^0-9]'))`,
  int: (x) => `CAST(${x} AS INTEGER)`,
  idiv: (a, b) => `(${a} // ${b})`,
  matches: (x, p) => `regexp_matches(${x}, ${p})`,
  group1: (x, p) => `regexp_extract(${x}, ${p}, 1)`,
  sha256Hex: (pad, bytes) => `sha256(unhex(${pad}) || ${bytes})`,
  utf8: (x) => `encode(${x})`,
  unhex: (x) => `unhex(${x})`,
};

/** The primitives of a dialect. */
export const SQL_DIALECTS: Readonly<Record<SqlDialectName, SqlDialect>> = { postgres, mysql, duckdb };

/** Quotes an identifier (column or table name) for a dialect, doubling the quote character. */
export function quoteIdent(name: string, dialect: SqlDialectName): string {
  if (name.includes('\u0000')) throw new PrivacyError('invalid_argument', 'identifier contains NUL');
  return dialect === 'mysql' ? `\`${name.replaceAll('`', '``')}\`` : `"${name.replaceAll('"', '""')}"`;
}
