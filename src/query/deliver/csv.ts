import { stringify } from 'csv-stringify';
import { type RowStream, textValue } from '../row-stream.js';

/** CSV (RFC 4180, UTF-8); with `bom`, a byte-order mark so that Excel reads the Chinese right. */
export async function* toCsv(stream: RowStream, options: { bom?: boolean } = {}): AsyncGenerator<Buffer> {
  if (options.bom) yield Buffer.from([0xef, 0xbb, 0xbf]);
  const stringifier = stringify({
    header: true,
    columns: stream.columns.map((c) => c.name),
    eof: true,
    record_delimiter: 'windows',
  });
  const pump = (async () => {
    try {
      for await (const batch of stream.batches) {
        for (const row of batch) {
          // Back-pressure: wait for the consumer when the stringifier's buffer is full.
          if (!stringifier.write(row.map(textValue))) await new Promise((r) => stringifier.once('drain', r));
        }
      }
      stringifier.end();
    } catch (error) {
      stringifier.destroy(error as Error);
    }
  })();
  for await (const chunk of stringifier) yield Buffer.from(chunk as string);
  await pump;
}
