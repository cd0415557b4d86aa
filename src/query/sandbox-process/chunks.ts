import {
  BIGINT,
  BOOLEAN,
  DECIMAL,
  DOUBLE,
  type DuckDBAppender,
  DuckDBDataChunk,
  DuckDBDecimalValue,
  type DuckDBType,
  type DuckDBValue,
  VARCHAR,
} from '@duckdb/node-api';
import type { WireColumn, WireColumns } from './protocol.js';

const CHUNK_TYPES = { text: VARCHAR, bigint: BIGINT, double: DOUBLE, boolean: BOOLEAN } as const;
/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

/** A DECIMAL column of the table being loaded. */
export interface DecimalColumn {
  width: number;
  scale: number;
}

/** The DECIMAL(w, s) of a column type, if it is one. */
export function decimalOf(duckType: string): DecimalColumn | undefined {
  const match = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(duckType);
  return match ? { width: Number(match[1]), scale: Number(match[2]) } : undefined;
}

/**
 * The scaled-up integer of a plain decimal text ("-12.5" at scale 10), or undefined for anything
 * else (exponents, NaN, too many digits), which then goes in as text for DuckDB to cast.
 */
export function scaledDecimal(text: string, { width, scale }: DecimalColumn): bigint | undefined {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match || (match[3]?.length ?? 0) > scale) return undefined;
  const digits = (match[2]! + (match[3] ?? '').padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > width) return undefined;
  return match[1] ? -BigInt(digits) : BigInt(digits);
}

function plainValues(column: WireColumn, from: number, to: number): DuckDBValue[] {
  const values: DuckDBValue[] = new Array(to - from);
  for (let r = from; r < to; r++) {
    values[r - from] = column.nulls[r]
      ? null
      : column.kind === 'boolean'
        ? column.values[r] === 1
        : column.values[r]!;
  }
  return values;
}

/** Decimal values ready-made, or undefined when one of them needs DuckDB's own cast. */
function decimalValues(column: WireColumn, from: number, to: number, decimal: DecimalColumn) {
  if (column.kind !== 'text') return undefined;
  const values: DuckDBValue[] = new Array(to - from);
  for (let r = from; r < to; r++) {
    if (column.nulls[r]) {
      values[r - from] = null;
      continue;
    }
    const scaled = scaledDecimal(column.values[r]!, decimal);
    if (scaled === undefined) return undefined;
    values[r - from] = new DuckDBDecimalValue(scaled, decimal.width, decimal.scale);
  }
  return values;
}

/**
 * Appends rows sent in columns (see WireColumn) a data chunk at a time: one call per column and
 * chunk, not one per value. Dates and timestamps come as text, which DuckDB casts as the chunk
 * goes in. Decimals are built here: DuckDB's cast of text to a wide DECIMAL costs ~10 µs a
 * value, which made it most of the time of a Parquet export.
 */
export function appendChunks(
  appender: DuckDBAppender,
  columns: WireColumns,
  rows: number,
  decimals: ReadonlyMap<number, DecimalColumn>,
): void {
  for (let from = 0; from < rows; from += CHUNK_ROWS) {
    const to = Math.min(rows, from + CHUNK_ROWS);
    const types: DuckDBType[] = [];
    const data: DuckDBValue[][] = [];
    for (const [i, column] of columns.entries()) {
      const decimal = decimals.get(i);
      const ready = decimal && decimalValues(column, from, to, decimal);
      types.push(ready && decimal ? DECIMAL(decimal.width, decimal.scale) : CHUNK_TYPES[column.kind]);
      data.push(ready ?? plainValues(column, from, to));
    }
    const chunk = DuckDBDataChunk.create(types, to - from);
    for (const [i, values] of data.entries()) chunk.setColumnValues(i, values);
    appender.appendDataChunk(chunk);
  }
}
