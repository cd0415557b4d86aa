import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { RowStream } from './row-stream.js';
import { Sandbox } from './sandbox.js';

const limits = { memoryLimit: '256MB', threads: 1, timeoutMs: 1500, scratchRoot: tmpdir() };

function rows(columns: RowStream['columns'], data: unknown[][]): RowStream {
  return {
    columns,
    batches: (async function* () {
      yield data;
    })(),
  };
}

async function all(stream: RowStream): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const batch of stream.batches) out.push(...batch);
  return out;
}

describe('Sandbox', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('joins loaded tables after locking', async () => {
    sandbox = await Sandbox.open(limits);
    await sandbox.load(
      'people',
      rows(
        [
          { name: 'id', type: 'integer' },
          { name: 'name', type: 'string' },
          { name: 'born', type: 'date' },
        ],
        [
          [1, '张三', '1990-01-02'],
          [2, '李四', null],
        ],
      ),
    );
    await sandbox.load(
      '350000-ent',
      rows(
        [
          { name: 'owner', type: 'integer' },
          { name: 'capital', type: 'number' },
        ],
        [
          [1, 100.5],
          [1, 20],
        ],
      ),
    );
    await sandbox.lock();
    const result = await sandbox.stream(
      'SELECT p.name, sum(e.capital) AS total FROM people p JOIN "350000-ent" e ON e.owner = p.id GROUP BY 1',
    );
    expect(result.columns).toEqual([
      { name: 'name', type: 'string' },
      { name: 'total', type: 'number' },
    ]);
    expect(await all(result)).toEqual([['张三', 120.5]]);
  });

  it('refuses files, network, attach, settings and extensions once locked, even without the SQL guard', async () => {
    sandbox = await Sandbox.open(limits);
    await sandbox.lock();
    for (const sql of [
      "SELECT * FROM read_csv('/etc/passwd')",
      "COPY (SELECT 1) TO '/tmp/huitong-escape.csv'",
      "ATTACH '/tmp/huitong-escape.db'",
      'SET enable_external_access = true',
      "SET allowed_directories = ['/']",
      'INSTALL httpfs',
      'LOAD httpfs',
      "SELECT * FROM read_parquet('http://127.0.0.1:1/x.parquet')",
    ]) {
      await expect(sandbox.stream(sql).then(all), sql).rejects.toMatchObject({ code: 'query_failed' });
    }
  });

  it('stops a runaway cross join with a clear timeout error', async () => {
    sandbox = await Sandbox.open(limits);
    await sandbox.lock();
    const started = Date.now();
    await expect(
      sandbox.stream('SELECT count(*) FROM range(100000000) a, range(100000000) b').then(all),
    ).rejects.toMatchObject({
      code: 'query_timeout',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops a query that needs more memory than allowed', async () => {
    sandbox = await Sandbox.open({ ...limits, memoryLimit: '64MB', timeoutMs: 20_000 });
    await sandbox.lock();
    await expect(
      sandbox.stream("SELECT string_agg(repeat('x', 1000), ',') FROM range(10000000)").then(all),
    ).rejects.toMatchObject({ code: expect.stringMatching(/query_memory_exceeded|query_failed/) });
  });

  it('writes Parquet into its own scratch folder only', async () => {
    sandbox = await Sandbox.open(limits);
    await sandbox.load('t', rows([{ name: 'x', type: 'integer' }], [[1], [2]]));
    await sandbox.lock();
    const path = await sandbox.copyToParquet('SELECT * FROM t');
    expect(path.startsWith(sandbox.scratch)).toBe(true);
    expect(await all(await sandbox.stream(`SELECT count(*)::INTEGER FROM read_parquet('${path}')`))).toEqual([
      [2],
    ]);
  });
});
