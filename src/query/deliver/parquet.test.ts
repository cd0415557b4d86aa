import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Column } from '../row-stream.js';
import type { SandboxLimits } from '../sandbox.js';
import { csvToParquet } from './parquet.js';

// The COPY path's Parquet: a source's CSV fed to DuckDB through a named pipe while it arrives.
const COLUMNS: Column[] = [
  { name: 'id', type: 'integer' },
  { name: 'credit_code', type: 'string' },
  { name: 'kwh', type: 'decimal' },
];

const limitsIn = (scratchRoot: string): SandboxLimits => ({
  memoryLimit: '256MB',
  threads: 1,
  timeoutMs: 20_000,
  scratchRoot,
});

async function* lines(count: number, fail?: Error, bad?: number): AsyncGenerator<Buffer> {
  let text = '';
  for (let i = 1; i <= count; i++) {
    text += `${i === bad ? 'abc' : i},"9135${i}",${(i / 4).toFixed(2)}\n`;
    if (text.length > 64 * 1024) {
      yield Buffer.from(text);
      text = '';
    }
  }
  yield Buffer.from(text);
  if (fail) throw fail;
}

async function collect(body: AsyncGenerator<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

/** The file's row count and sums, read back by DuckDB. */
async function summary(bytes: Buffer): Promise<unknown[]> {
  const file = join(tmpdir(), `huitong-parquet-${randomBytes(4).toString('hex')}.parquet`);
  await writeFile(file, bytes);
  try {
    const db = await DuckDBInstance.create(':memory:');
    const reader = await (await db.connect()).runAndReadAll(
      `SELECT count(*)::INTEGER, sum(id)::BIGINT, sum(kwh)::VARCHAR, max(credit_code) FROM '${file}'`,
    );
    return reader.getRows()[0]!.map((v) => (typeof v === 'bigint' ? Number(v) : v));
  } finally {
    await rm(file, { force: true });
  }
}

describe('csvToParquet', () => {
  const scratch = () => {
    const root = join(tmpdir(), `huitong-parquet-scratch-${randomBytes(4).toString('hex')}`);
    onTestFinished(() => rm(root, { recursive: true, force: true }));
    return mkdir(root).then(() => root);
  };
  // What the export left in the scratch folders (the pool's warm children keep empty ones).
  const leftBehind = async (root: string) =>
    (await Promise.all((await readdir(root)).map((d) => readdir(join(root, d)).catch(() => [])))).flat();

  it('writes every row the COPY sent, with its types, and leaves no scratch behind', async () => {
    const root = await scratch();
    const { body } = await csvToParquet(COLUMNS, lines(200_000), limitsIn(root));
    expect(await summary(await collect(body))).toEqual([
      200_000,
      200_000 * 200_001 * 0.5,
      '5000025000.0000000000',
      '913599999',
    ]);
    expect(await leftBehind(root)).toEqual([]);
  });

  it('fails the export when the COPY fails part-way, though DuckDB saw a clean end of its input', async () => {
    const root = await scratch();
    const cut = new Error('the source closed the connection');
    await expect(csvToParquet(COLUMNS, lines(50_000, cut), limitsIn(root))).rejects.toBe(cut);
    expect(await leftBehind(root)).toEqual([]);
  });

  it('fails, and does not wait for ever, when DuckDB refuses a value the COPY sent', async () => {
    const root = await scratch();
    await expect(csvToParquet(COLUMNS, lines(300_000, undefined, 10), limitsIn(root))).rejects.toThrow();
    expect(await leftBehind(root)).toEqual([]);
  });
});
