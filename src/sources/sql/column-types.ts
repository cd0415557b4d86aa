import type { ColumnType } from '../types.js';

/** Normalises a PostgreSQL type as `format_type()` names it. */
export function postgresType(native: string): ColumnType {
  const t = native.toLowerCase();
  if (t.endsWith('[]') || t === 'json' || t === 'jsonb') return 'json';
  if (/^(smallint|integer|bigint|int2|int4|int8|smallserial|serial|bigserial)\b/.test(t)) return 'integer';
  if (/^(real|double precision|float4|float8)\b/.test(t)) return 'number';
  if (/^(numeric|decimal|money)\b/.test(t)) return 'decimal';
  if (/^bool/.test(t)) return 'boolean';
  if (t === 'date') return 'date';
  if (/^timestamp/.test(t)) return 'timestamp';
  return 'string';
}

/** Normalises a MySQL/MariaDB type as information_schema.COLUMNS.COLUMN_TYPE names it. */
export function mysqlType(native: string): ColumnType {
  const t = native.toLowerCase();
  // tinyint(1) and bit(1) are how MySQL spells booleans.
  if (/^(tinyint\(1\)|bit\(1\)|bool)/.test(t)) return 'boolean';
  if (/^(tinyint|smallint|mediumint|int|integer|bigint|year)\b/.test(t)) return 'integer';
  if (/^(float|double|real)\b/.test(t)) return 'number';
  if (/^(decimal|numeric|dec|fixed)\b/.test(t)) return 'decimal';
  if (t === 'date') return 'date';
  if (/^(datetime|timestamp)\b/.test(t)) return 'timestamp';
  if (t === 'json') return 'json';
  return 'string';
}

/** Normalises a DuckDB type as DESCRIBE or `typeof()` names it. */
export function duckdbType(native: string): ColumnType {
  const t = native.toUpperCase();
  if (/(\[\d*\]$|^STRUCT|^MAP|^JSON|^UNION)/.test(t)) return 'json';
  if (
    /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT\d*)$/.test(t)
  )
    return 'integer';
  if (/^(FLOAT|DOUBLE|REAL)$/.test(t)) return 'number';
  if (/^DECIMAL/.test(t)) return 'decimal';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (/^TIMESTAMP/.test(t)) return 'timestamp';
  return 'string';
}

/** The DuckDB type a steward's correction casts to. */
export function duckdbTypeFor(type: ColumnType): string {
  return {
    string: 'VARCHAR',
    integer: 'BIGINT',
    number: 'DOUBLE',
    decimal: 'DECIMAL(38, 10)',
    boolean: 'BOOLEAN',
    date: 'DATE',
    timestamp: 'TIMESTAMP',
    json: 'JSON',
  }[type];
}
