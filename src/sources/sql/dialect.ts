/** How a source's SQL spells identifiers, placeholders and NULL ordering. */
export interface SqlDialect {
  name: 'postgres' | 'mysql' | 'duckdb';
  /** Quotes one identifier, doubling the quote character inside it. */
  quote(identifier: string): string;
  /** The placeholder of the n-th bound parameter (1-based). */
  placeholder(n: number): string;
  /** One ORDER BY item with NULLs last in both directions, the same on every source. */
  orderBy(expression: string, direction: 'asc' | 'desc'): string;
  /** LIMIT/OFFSET of validated integers (inlined: MySQL's prepared LIMIT ? is unreliable). */
  limit(limit: number | undefined, offset: number | undefined): string;
}

const doubled = (q: string) => (identifier: string) => {
  // NUL cannot be quoted in any dialect; zod already refuses it, this keeps the builder safe alone.
  if (identifier.includes('\u0000')) throw new Error('identifier contains NUL');
  return q + identifier.replaceAll(q, q + q) + q;
};

const standardLimit = (limit: number | undefined, offset: number | undefined) =>
  [limit !== undefined ? `LIMIT ${int(limit)}` : '', offset ? `OFFSET ${int(offset)}` : '']
    .filter(Boolean)
    .join(' ');

function int(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error('limit and offset are non-negative integers');
  return String(n);
}

/** PostgreSQL: "ident", $n. */
export const POSTGRES: SqlDialect = {
  name: 'postgres',
  quote: doubled('"'),
  placeholder: (n) => `$${n}`,
  orderBy: (x, d) => `${x} ${d === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`,
  limit: standardLimit,
};

/** MySQL and MariaDB: `ident`, ?; NULLs last emulated with `x IS NULL` first. */
export const MYSQL: SqlDialect = {
  name: 'mysql',
  quote: doubled('`'),
  placeholder: () => '?',
  orderBy: (x, d) => `${x} IS NULL, ${x} ${d === 'asc' ? 'ASC' : 'DESC'}`,
  // MySQL has no OFFSET without LIMIT; the documented idiom is the largest unsigned BIGINT.
  limit: (limit, offset) =>
    limit === undefined && offset
      ? `LIMIT 18446744073709551615 OFFSET ${int(offset)}`
      : standardLimit(limit, offset),
};

/** DuckDB (the Parquet files of uploads): "ident", $n. */
export const DUCKDB: SqlDialect = { ...POSTGRES, name: 'duckdb' };
