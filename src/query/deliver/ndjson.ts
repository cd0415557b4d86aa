import { jsonValue, type RowStream } from '../row-stream.js';

/** One JSON object per line. */
export async function* toNdjson(stream: RowStream): AsyncGenerator<Buffer> {
  const names = stream.columns.map((c) => c.name);
  for await (const batch of stream.batches) {
    let text = '';
    for (const row of batch) {
      const record: Record<string, unknown> = {};
      names.forEach((name, i) => {
        record[name] = jsonValue(row[i]);
      });
      text += `${JSON.stringify(record)}\n`;
    }
    if (text) yield Buffer.from(text);
  }
}

/** Rows as objects (for the paged JSON format). */
export function toRecords(names: string[], rows: unknown[][]): Array<Record<string, unknown>> {
  return rows.map((row) => Object.fromEntries(names.map((name, i) => [name, jsonValue(row[i])])));
}
