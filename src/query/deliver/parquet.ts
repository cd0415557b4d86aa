import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { csvInputSelect, feedPipe, makeFifo, releaseWriter } from '../csv-input.js';
import type { Column, RowStream } from '../row-stream.js';
import { Sandbox, type SandboxLimits } from '../sandbox.js';

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

/**
 * Parquet of a source's COPY CSV (copy-export.ts): the bytes go through a named pipe in a
 * sandbox's scratch folder straight into DuckDB as they arrive, so the export never writes the
 * whole CSV to the scratch disk (57 MB per million rows of the benchmark's table; on two cores it
 * took no less time than the file, BENCHMARKS.md "export"). DuckDB reads it typed as
 * `toParquet`'s table (csv-input.ts) and writes the Parquet file that is streamed once both
 * sides have finished: a COPY that fails part-way fails the export, even though DuckDB saw a
 * clean end of its input.
 */
export async function csvToParquet(
  columns: Column[],
  chunks: AsyncIterable<Buffer>,
  limits: SandboxLimits,
): Promise<{ body: AsyncGenerator<Buffer> }> {
  const sandbox = await Sandbox.open(limits);
  const input = join(sandbox.scratch, 'copy.csv');
  try {
    await sandbox.lock();
    await makeFifo(input);
    const converting = sandbox.copyToParquet(csvInputSelect(columns, input));
    const feeding = feedPipe(input, chunks);
    const [path] = await Promise.all([converting, feeding]);
    return { body: parquetFile(path, () => sandbox.close()) };
  } catch (error) {
    // Before the pipe goes with the scratch folder: a writer still waiting to open it is let go.
    await releaseWriter(input);
    await sandbox.close();
    throw error;
  }
}
