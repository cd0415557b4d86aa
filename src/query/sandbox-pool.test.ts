import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { RowStream } from './row-stream.js';
import { Sandbox, type SandboxLimits } from './sandbox.js';
import { settleDismissed } from './sandbox-process/process.js';

// The lifecycle of sandbox children (sandbox-process/pool.ts): locked before they are ready,
// one query each, replaced when they die idle; small tables travel with the query.

let limits: SandboxLimits;
beforeAll(async () => {
  // A scratch root of its own: this file's children are told apart from others' by it.
  limits = {
    memoryLimit: '256MB',
    threads: 1,
    timeoutMs: 20_000,
    scratchRoot: await mkdtemp(join(tmpdir(), 'sandbox-pool-')),
    warm: 1,
  };
});
afterAll(async () => {
  await rm(limits.scratchRoot, { recursive: true, force: true });
});

const table = (rows: unknown[][]): RowStream => ({
  columns: [
    { name: 'id', type: 'integer' },
    { name: 'name', type: 'string' },
  ],
  batches: (async function* () {
    for (let i = 0; i < rows.length; i += 1000) yield rows.slice(i, i + 1000);
  })(),
});

async function all(stream: RowStream): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const batch of stream.batches) out.push(...batch);
  return out;
}

/** The sandbox children of this file's pool, by pid (their argv names the scratch root). */
const children = () => childrenIn(limits.scratchRoot);

/** The sandbox children whose scratch root is `root`, by pid. */
async function childrenIn(root: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('child') && cmdline.includes(root)) pids.push(Number(entry));
  }
  return pids;
}

async function until<T>(probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('sandbox children', () => {
  it('are locked before any table is loaded or lock() is called', async () => {
    const box = await Sandbox.open(limits);
    try {
      for (const sql of ["SELECT * FROM read_csv('/etc/passwd')", 'SET enable_external_access = true']) {
        await expect(box.stream(sql).then(all), sql).rejects.toMatchObject({ code: 'query_failed' });
      }
    } finally {
      await box.close();
    }
  });

  it('serve one query each: the next sandbox is another process, without the tables of the last', async () => {
    const first = await Sandbox.open(limits);
    await first.load('secret', table([[1, '金丝雀']]));
    await first.lock();
    expect(await all(await first.stream('SELECT name FROM secret'))).toEqual([['金丝雀']]);
    const pid = first.pid;
    await first.close();
    const second = await Sandbox.open(limits);
    try {
      expect(second.pid).not.toBe(pid);
      await second.lock();
      await expect(second.stream('SELECT name FROM secret').then(all)).rejects.toMatchObject({
        code: 'query_failed',
        details: { class: 'catalog' },
      });
    } finally {
      await second.close();
    }
  });

  it('end when dismissed with the answer in hand: killed at once, their scratch gone once settled', async () => {
    const box = await Sandbox.open(limits);
    await box.load('t', table([[1, '金丝雀']]));
    await box.lock();
    expect(await all(await box.stream('SELECT name FROM t'))).toEqual([['金丝雀']]);
    const { pid, scratch } = box;
    box.dismiss();
    // The signal is sent before dismiss returns; the end and the folder's deletion follow.
    await settleDismissed();
    expect(await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => 'ended')).toBe('ended');
    expect(await readdir(scratch).catch(() => 'gone')).toBe('gone');
  });

  it('start a replacement once the query that took a child has ended, not beside it', async () => {
    // A pool of its own (its own scratch root) that would wait a minute for a query still running.
    const patient = {
      ...limits,
      scratchRoot: await mkdtemp(join(tmpdir(), 'sandbox-pool-patient-')),
      refillAfterMs: 60_000,
    };
    onTestFinished(() => rm(patient.scratchRoot, { recursive: true, force: true }));
    const children = () => childrenIn(patient.scratchRoot);
    (await Sandbox.open(patient)).dismiss();
    await settleDismissed();
    const warm = await until(async () => {
      const pids = await children();
      return pids.length === 1 ? pids[0] : undefined;
    });
    const box = await Sandbox.open(patient);
    expect(box.pid).toBe(warm);
    await box.load('t', table([[1, 'a']]));
    await box.lock();
    expect(await all(await box.stream('SELECT count(*) FROM t'))).toEqual([[1n]]);
    // While the query runs, no child starts beside it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await children()).toEqual([warm]);
    box.dismiss();
    const replacement = await until(async () => {
      const pids = await children();
      return pids.length === 1 && pids[0] !== warm ? pids[0] : undefined;
    });
    expect(replacement).not.toBe(warm);
  });

  it('load small tables with the next request and large ones in batches, alike', async () => {
    const box = await Sandbox.open(limits);
    try {
      const big = Array.from({ length: 20_000 }, (_, i) => [i, `n${i % 7}`]);
      expect(await box.load('a', table([[1, 'x']]))).toBe(1);
      expect(await box.load('b', table(big))).toBe(20_000);
      expect(await box.load('c', table([[2, 'y']]))).toBe(1);
      await box.lock();
      const result = await box.stream(
        'SELECT (SELECT count(*) FROM a) AS a, count(*) AS b, (SELECT count(*) FROM c) AS c FROM b',
      );
      expect(await all(result)).toEqual([[1n, 20_000n, 1n]]);
    } finally {
      await box.close();
    }
  });

  it('fail a query with a coded error when a small table cannot be appended', async () => {
    const box = await Sandbox.open(limits);
    try {
      // A date DuckDB cannot read: the appender fails in the child, at the query that carries it.
      const dates: RowStream = {
        columns: [{ name: 'd', type: 'date' }],
        batches: (async function* () {
          yield [['not a date']];
        })(),
      };
      expect(await box.load('bad', dates)).toBe(1);
      await box.lock();
      await expect(box.stream('SELECT * FROM bad').then(all)).rejects.toMatchObject({ code: 'query_failed' });
    } finally {
      await box.close();
    }
  });

  it('are replaced when one dies idle (or starting) in the pool', { timeout: 120_000 }, async () => {
    const box = await Sandbox.open(limits);
    const used = box.pid;
    await box.close();
    const idle = await until(async () => (await children()).find((pid) => pid !== used));
    process.kill(idle, 'SIGKILL');
    const fresh = await until(async () => (await children()).find((pid) => pid !== idle && pid !== used));
    const next = await Sandbox.open(limits);
    try {
      expect(next.pid).toBe(fresh);
      await next.lock();
      expect(await all(await next.stream('SELECT 42'))).toEqual([[42]]);
    } finally {
      await next.close();
    }
  });
});
