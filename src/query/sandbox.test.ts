import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { RowStream } from './row-stream.js';
import { Sandbox, type SandboxLimits } from './sandbox.js';

const limits: SandboxLimits = { memoryLimit: '256MB', threads: 1, timeoutMs: 1500, scratchRoot: tmpdir() };

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

  it('fails on the data with the error class only: no run-time message leaves the child', async () => {
    sandbox = await Sandbox.open(limits);
    await sandbox.load(
      't',
      rows(
        [
          { name: 'name', type: 'string' },
          { name: 'born', type: 'date' },
        ],
        [['金丝雀CANARY', '1990-01-02']],
      ),
    );
    await sandbox.lock();
    for (const [sql, failureClass] of [
      ['SELECT error(name) FROM t', 'invalid_input'],
      ['SELECT name::INTEGER FROM t', 'conversion'],
      ["SELECT strptime(name, '%Y') FROM t", 'invalid_input'],
    ]) {
      const failed = await sandbox
        .stream(sql!)
        .then(all)
        .then(
          () => undefined,
          (e: unknown) => e as { code: string; message: string; details: unknown },
        );
      expect(failed, sql).toMatchObject({ code: 'query_failed', details: { class: failureClass } });
      expect(JSON.stringify([failed?.message, failed?.details]), sql).not.toContain('CANARY');
    }
    // A binder error, raised before any row is read, keeps DuckDB's words.
    await expect(sandbox.stream('SELECT nosuch FROM t')).rejects.toMatchObject({
      code: 'query_failed',
      message: expect.stringContaining('nosuch'),
      details: { class: 'binder' },
    });
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

// F2: values DuckDB builds outside its memory_limit (doubling by `||`, regexp expansion) and
// statements that do not heed the interrupt end with their child process, not with the server.
describe('Sandbox in its child process', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  async function opened(over: Partial<typeof limits> = {}) {
    const s = await Sandbox.open({ ...limits, ...over });
    await s.load('people', rows([{ name: 'qh', type: 'string' }], [['350102']]));
    await s.lock();
    return s;
  }

  it.each([
    [
      'doubling by nested concatenation',
      `SELECT length(x) AS n FROM ${Array.from({ length: 30 }).reduce<string>((inner) => `(SELECT x || x AS x FROM ${inner})`, '(SELECT qh AS x FROM people)')}`,
    ],
    [
      'regexp expansion',
      `SELECT length(regexp_replace('${'x'.repeat(30_000)}', '', '${'y'.repeat(30_000)}', 'g')) AS n FROM people`,
    ],
  ])(
    'answers query_memory_exceeded, the child killed past its ceiling if DuckDB did not stop first: %s',
    async (_, sql) => {
      sandbox = await opened({ timeoutMs: 60_000 });
      const pid = sandbox.pid;
      const before = process.memoryUsage().rss;
      const started = Date.now();
      await expect(sandbox.stream(sql).then(all)).rejects.toMatchObject({
        code: 'query_memory_exceeded',
        status: 400,
      });
      expect(Date.now() - started).toBeLessThan(30_000);
      await sandbox.close();
      expect(alive(pid)).toBe(false);
      // The parent never held the value.
      expect(process.memoryUsage().rss - before).toBeLessThan(100 * 2 ** 20);
    },
  );

  it('kills the child past its ceiling while DuckDB thinks it is within its limit', async () => {
    // Idle, a child holds ≈ 115 MB under tsx; the hash table of 8 million groups takes it past 160.
    sandbox = await opened({ timeoutMs: 60_000, processMemoryBytes: 160 * 2 ** 20 });
    const pid = sandbox.pid;
    await expect(
      sandbox.stream('SELECT count(*) FROM (SELECT DISTINCT i FROM range(8000000) t(i))').then(all),
    ).rejects.toMatchObject({ code: 'query_memory_exceeded' });
    expect(alive(pid)).toBe(false);
  });

  it('never answers a result cut short by the timeout as complete', async () => {
    // Rows stream while the statement runs: an interrupt mid-stream ends DuckDB's result early,
    // which must be a timeout, not a shorter answer.
    sandbox = await opened({ timeoutMs: 500 });
    await expect(
      sandbox.stream('SELECT i, md5(i::VARCHAR) AS h FROM range(200000000) t(i)').then(all),
    ).rejects.toMatchObject({ code: 'query_timeout' });
  });

  it('kills the child at the timeout, whether or not the statement heeded the interrupt', async () => {
    sandbox = await opened({ timeoutMs: 500 });
    const pid = sandbox.pid;
    await expect(
      sandbox.stream('SELECT count(*) FROM range(100000000) a, range(100000000) b').then(all),
    ).rejects.toMatchObject({ code: 'query_timeout' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(alive(pid)).toBe(false);
  });

  it('fails the query, not the server, when the child dies', async () => {
    sandbox = await opened({ timeoutMs: 60_000 });
    const running = sandbox.stream('SELECT count(*) FROM range(100000000) a, range(100000000) b').then(all);
    setTimeout(() => process.kill(sandbox!.pid, 'SIGKILL'), 300);
    await expect(running).rejects.toMatchObject({ code: 'query_failed' });
    await expect(sandbox.stream('SELECT 1').then(all)).rejects.toMatchObject({ code: 'query_failed' });
  });

  it('streams a large result in batches, with bigints, dates and decimals intact', async () => {
    sandbox = await opened();
    const result = await sandbox.stream(
      "SELECT i, DATE '2020-01-01' + i::INTEGER AS d, (i / 4)::DECIMAL(10, 2) AS m FROM range(20000) t(i) ORDER BY i",
    );
    expect(result.columns.map((c) => c.type)).toEqual(['integer', 'date', 'decimal']);
    const out = await all(result);
    expect(out).toHaveLength(20000);
    expect(out[1]).toEqual([1n, '2020-01-02', '0.25']);
  });
});

describe('Sandbox loading through its child', () => {
  it('carries every column type and NULL across the process boundary', async () => {
    const sandbox = await Sandbox.open(limits);
    try {
      await sandbox.load(
        't',
        rows(
          (
            [
              ['i', 'integer'],
              ['n', 'number'],
              ['b', 'boolean'],
              ['d', 'date'],
              ['ts', 'timestamp'],
              ['j', 'json'],
              ['s', 'string'],
            ] as const
          ).map(([name, type]) => ({ name, type })),
          [
            [
              9007199254740993n,
              1.5,
              true,
              new Date('2024-02-29T00:00:00Z'),
              '2024-01-02 03:04:05',
              { a: 1 },
              '汇通',
            ],
            [null, null, null, null, null, null, null],
            ['7', '2', 0, '2020-01-01', new Date('2020-01-01T08:00:00Z'), [1, 2], ''],
          ],
        ),
      );
      await sandbox.lock();
      const out = await all(await sandbox.stream('SELECT i, n, b, d::VARCHAR, ts::VARCHAR, j, s FROM t'));
      expect(out).toEqual([
        [9007199254740993n, 1.5, true, '2024-02-29', '2024-01-02 03:04:05', '{"a":1}', '汇通'],
        [null, null, null, null, null, null, null],
        [7n, 2, false, '2020-01-01', '2020-01-01 08:00:00', '[1,2]', ''],
      ]);
    } finally {
      await sandbox.close();
    }
  });

  it('keeps decimals exact, built in the child or cast by DuckDB, across chunk boundaries', async () => {
    const sandbox = await Sandbox.open(limits);
    try {
      const values: unknown[][] = Array.from({ length: 5000 }, (_, i) => [i, `${i}.25`]);
      // Each of these falls back to DuckDB's own cast for its chunk (more digits than the scale,
      // an exponent); the rest of that chunk must come out the same.
      values[3000] = [3000, '3000.12345678901'];
      values[4500] = [4500, '4.5e3'];
      values.push([5000, '-12345678901234567890.1234567890'], [5001, null], [5002, 7.5], [5003, '-0.5']);
      await sandbox.load(
        't',
        rows(
          [
            { name: 'i', type: 'integer' },
            { name: 'd', type: 'decimal' },
          ],
          values,
        ),
      );
      await sandbox.lock();
      const out = await all(
        await sandbox.stream(
          'SELECT i, d::VARCHAR FROM t WHERE i IN (0, 2047, 2048, 3000, 4500, 5000, 5001, 5002, 5003) ORDER BY i',
        ),
      );
      expect(out).toEqual([
        [0n, '0.2500000000'],
        [2047n, '2047.2500000000'],
        [2048n, '2048.2500000000'],
        [3000n, '3000.1234567890'],
        [4500n, '4500.0000000000'],
        [5000n, '-12345678901234567890.1234567890'],
        [5001n, null],
        [5002n, '7.5000000000'],
        [5003n, '-0.5000000000'],
      ]);
      const sum = await all(await sandbox.stream('SELECT sum(d)::VARCHAR FROM t WHERE i < 3000'));
      expect(sum).toEqual([['4499250.0000000000']]);
    } finally {
      await sandbox.close();
    }
  });
});
