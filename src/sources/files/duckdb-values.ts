import { type DuckDBDataChunk, DuckDBTypeId, JSDuckDBValueConverter } from '@duckdb/node-api';

const exact = (v: bigint) => (Number.isSafeInteger(Number(v)) ? Number(v) : v);

/**
 * A chunk's rows as value arrays, in the forms the SQL connectors use too: integers as numbers
 * when exact (else bigint), DATE as 'YYYY-MM-DD', DECIMAL as exact text, timestamps as Date.
 */
export function chunkRows(chunk: DuckDBDataChunk, typeIds: DuckDBTypeId[]): unknown[][] {
  const columns = typeIds.map((typeId, i) => {
    if (typeId === DuckDBTypeId.DATE || typeId === DuckDBTypeId.DECIMAL)
      return chunk.getColumnValues(i).map((v) => (v === null ? null : String(v)));
    return chunk
      .convertColumnValues(i, JSDuckDBValueConverter)
      .map((v) => (typeof v === 'bigint' ? exact(v) : v));
  });
  const rows: unknown[][] = [];
  for (let r = 0; r < chunk.rowCount; r++) rows.push(columns.map((c) => c[r]));
  return rows;
}
