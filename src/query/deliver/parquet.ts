import { createReadStream } from 'node:fs';
import type { RowStream } from '../row-stream.js';
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
