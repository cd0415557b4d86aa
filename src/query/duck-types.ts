import type { ColumnType } from './row-stream.js';

/** The DuckDB type each delivered column type is loaded as (and a COPY export is read back as). */
export const DUCK_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  number: 'DOUBLE',
  decimal: 'DECIMAL(38, 10)',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  json: 'VARCHAR',
};
