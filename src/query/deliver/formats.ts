import { z } from 'zod';
import type { Header, RowStream } from '../row-stream.js';
import { toArrow } from './arrow.js';
import { toCsv } from './csv.js';
import { toNdjson } from './ndjson.js';
import { toXlsx } from './xlsx.js';

/** Delivery formats; `json` is paged, the others stream the whole result. */
export const FormatSchema = z.enum(['json', 'ndjson', 'csv', 'xlsx', 'parquet', 'arrow']);
export type Format = z.infer<typeof FormatSchema>;

/** Content type and file extension of each format. */
export const FORMAT_MEDIA: Record<Format, { type: string; ext: string }> = {
  json: { type: 'application/json; charset=utf-8', ext: 'json' },
  ndjson: { type: 'application/x-ndjson; charset=utf-8', ext: 'ndjson' },
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv' },
  xlsx: { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx' },
  parquet: { type: 'application/vnd.apache.parquet', ext: 'parquet' },
  arrow: { type: 'application/vnd.apache.arrow.stream', ext: 'arrows' },
};

/** Encodes a row stream in a streaming format (Parquet goes through DuckDB, see deliver/parquet). */
export function encode(
  format: Exclude<Format, 'json' | 'parquet'>,
  stream: RowStream,
  options: { bom?: boolean; header?: Header } = {},
) {
  switch (format) {
    case 'csv':
      return toCsv(stream, options);
    case 'ndjson':
      return toNdjson(stream);
    case 'xlsx':
      return toXlsx(stream, options);
    case 'arrow':
      return toArrow(stream);
  }
}
