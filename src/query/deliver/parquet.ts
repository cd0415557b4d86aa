import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Column, RowStream } from '../row-stream.js';
import { DUCK_TYPES, Sandbox, type SandboxLimits } from '../sandbox.js';

/** Streams a Parquet file from disk, then runs `cleanup` (the file's sandbox is closed). */
export async function* parquetFile(path: string, cleanup: () => Promise<void>): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) yield chunk as Buffer;
  } finally {
    await cleanup();
  }
}

/**
 * Parquet of a row stream: the rows go into a private DuckDB (never held whole in JS memory;
 * DuckDB spills to its scratch folder past its memory limit), are written as a zstd Parquet
 * file, and the file is streamed out and deleted.
 */
export async function toParquet(
  stream: RowStream,
  limits: SandboxLimits,
): Promise<{ body: AsyncGenerator<Buffer>; rows: () => number }> {
  const sandbox = await Sandbox.open(limits);
  try {
    const rows = await sandbox.load('result', stream);
    await sandbox.lock();
    const path = await sandbox.copyToParquet('SELECT * FROM "result"');
    return { body: parquetFile(path, () => sandbox.close()), rows: () => rows };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

const duckString = (text: string) => `'${text.replaceAll("'", "''")}'`;
const duckName = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * A column of the COPY CSV as its DuckDB type. DuckDB's cast of text to a wide DECIMAL costs
 * ~25 µs a value (measured: 27 s for a million rows, against 0.3 s for DECIMAL(18, 2)); a value
 * of at most 7 integer digits goes through DECIMAL(18, 10) — the same rounding, with room for
 * its carry — and only larger ones take the wide cast (the row path builds decimals itself,
 * sandbox-process/chunks.ts, for the same reason).
 */
function selectItem(column: Column, index: number): string {
  const c = `c${index}`;
  if (column.type !== 'decimal') return `${c} AS ${duckName(column.name)}`;
  const wide = DUCK_TYPES.decimal;
  return `CASE WHEN length(split_part(ltrim(${c}, '-'), '.', 1)) <= 7 THEN CAST(CAST(${c} AS DECIMAL(18, 10)) AS ${wide}) ELSE CAST(${c} AS ${wide}) END AS ${duckName(column.name)}`;
}

/**
 * Parquet of a source's COPY CSV (copy-export.ts): the bytes go to a file in a sandbox's scratch
 * folder as they arrive, DuckDB reads it with every column's type given (no sniffing: the
 * same types as `toParquet`'s table, so the file holds the same values), and writes the Parquet
 * file that is then streamed. A quoted empty field is an empty string, an unquoted one NULL, as
 * COPY writes them.
 */
export async function csvToParquet(
  columns: Column[],
  chunks: AsyncIterable<Buffer>,
  limits: SandboxLimits,
): Promise<{ body: AsyncGenerator<Buffer> }> {
  const sandbox = await Sandbox.open(limits);
  try {
    await sandbox.lock();
    const input = join(sandbox.scratch, 'copy.csv');
    await pipeline(Readable.from(chunks), createWriteStream(input, { highWaterMark: 1 << 20 }));
    const types = columns
      .map((c, i) => `c${i}: ${duckString(c.type === 'decimal' ? 'VARCHAR' : DUCK_TYPES[c.type])}`)
      .join(', ');
    const path = await sandbox.copyToParquet(
      `SELECT ${columns.map(selectItem).join(', ')} FROM read_csv(${duckString(input)}, columns = {${types}}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', new_line = '\\n', allow_quoted_nulls = false)`,
    );
    await rm(input, { force: true });
    return { body: parquetFile(path, () => sandbox.close()) };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}
