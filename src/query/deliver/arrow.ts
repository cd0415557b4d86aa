import {
  Bool,
  type DataType,
  Float64,
  Int64,
  type RecordBatch,
  RecordBatchStreamWriter,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { type Column, jsonValue, type RowStream } from '../row-stream.js';

function arrowType(column: Column): DataType {
  switch (column.type) {
    case 'integer':
      return new Int64();
    case 'number':
      return new Float64();
    case 'boolean':
      return new Bool();
    default:
      // Dates, timestamps and decimals travel as ISO / exact text, so that nothing is rounded.
      return new Utf8();
  }
}

function convert(column: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (column.type === 'integer') return typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value)));
  if (column.type === 'number') return Number(value);
  if (column.type === 'boolean') return Boolean(value);
  const v = jsonValue(value);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Arrow IPC stream format: one record batch per incoming batch, streamed as written. */
export async function* toArrow(stream: RowStream): AsyncGenerator<Buffer> {
  const types = stream.columns.map(arrowType);
  const writer = new RecordBatchStreamWriter();
  const out = writer.toNodeStream();
  const pump = (async () => {
    try {
      let wroteAny = false;
      for await (const batch of stream.batches) {
        if (batch.length === 0) continue;
        const vectors = Object.fromEntries(
          stream.columns.map((column, i) => [
            column.name,
            vectorFromArray(batch.map((row) => convert(column, row[i])) as never[], types[i] as never),
          ]),
        );
        for (const recordBatch of new Table(vectors).batches) writer.write(recordBatch as RecordBatch);
        wroteAny = true;
      }
      if (!wroteAny) {
        const empty = Object.fromEntries(
          stream.columns.map((column, i) => [column.name, vectorFromArray([] as never[], types[i] as never)]),
        );
        writer.write(new Table(empty).batches[0] as RecordBatch);
      }
      writer.finish();
    } catch (error) {
      out.destroy(error as Error);
    }
  })();
  for await (const chunk of out) yield Buffer.from(chunk as Uint8Array);
  await pump;
}
