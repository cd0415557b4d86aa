// The three figures of bench/subscriptions, each one run: the platform's figure and its baseline.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'nats';
import pg from 'pg';
import { streamName } from '../../src/exchange/channels/nats.js';
import { SERVICES } from '../../test/support/services.js';
import { rawReader } from './baseline.js';
import { type Granted, PEOPLE_COLUMNS, PEOPLE_SELECT, type World } from './world.js';

const WRITERS = 48;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 20,
  progress: () => string = () => '',
) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (${progress()})`);
    await sleep(everyMs);
  }
}

/** Latency figures of one run (ms). */
export interface Latency {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

const latencyOf = (samples: number[]): Latency => {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s.at(-1) ?? Number.NaN, count: s.length };
};

/**
 * Figure 1: single-row transactions committed at `rate`/s for `seconds`, each carrying its commit
 * time (提交时间, the server's clock at insert) through the grant; latency = time the webhook
 * receiver gets it − that time. The baseline reads the same changes from a slot of its own.
 */
export async function webhookLatency(world: World, people: Granted, rate: number, seconds: number) {
  const platform: number[] = [];
  const raw: number[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        snapshot: boolean;
        events: Array<{ row: { tjsj?: number } | null }>;
      };
      for (const e of body.events) if (e.row?.tjsj) platform.push(now - e.row.tjsj);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as AddressInfo).port;
  const sub = await people.subscribe({ kind: 'webhook', url: `http://127.0.0.1:${port}/hooks` });
  const reader = await rawReader(world.pgc, people.schema, 'people', (row) =>
    raw.push(Date.now() - Number(row.tjsj)),
  );
  // Let the delivery loop pick the subscription up and its stream start.
  await sleep(1500);
  // A steady schedule: change i is due at started + i/rate, one single-row transaction each, from
  // a few connections (one waits for each commit's flush, ~1–10 ms here).
  const writers = await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      const c = new pg.Client({ connectionString: SERVICES.postgres.url });
      await c.connect();
      return c;
    }),
  );
  const total = rate * seconds;
  const started = performance.now();
  const base = 1_000_000 + Math.floor(Math.random() * 1e9);
  let behind = 0;
  let next = 0;
  await Promise.all(
    writers.map(async (writer) => {
      for (let i = next++; i < total; i = next++) {
        const wait = started + (i * 1000) / rate - performance.now();
        if (wait > 1) await sleep(wait);
        else if (wait < -50) behind++;
        await writer.query(
          `INSERT INTO ${people.schema}.people SELECT ${PEOPLE_SELECT} FROM generate_series($1::int, $1::int) g`,
          [base + i],
        );
      }
    }),
  );
  const sent = (performance.now() - started) / 1000;
  await waitFor(
    'all changes received',
    () => platform.length >= total && raw.length >= total,
    120_000,
    100,
    () => `webhook ${platform.length}, baseline ${raw.length} of ${total}`,
  );
  await Promise.all(writers.map((w) => w.end()));
  await reader.stop();
  await people.unsubscribe(sub.id);
  await new Promise((r) => receiver.close(r));
  return { platform: latencyOf(platform), raw: latencyOf(raw), achievedRate: total / sent, behind };
}

/**
 * Figure 2: `n` rows inserted in transactions of `perTransaction`; the clock runs from the first
 * commit until the consumer organisation's JetStream stream holds all `n` messages. The baseline:
 * the same statements into a table of the same shape, read from a slot of its own until all `n`
 * inserts are decoded.
 */
export async function natsThroughput(world: World, people: Granted, n: number, perTransaction: number) {
  const nc = await connect({ servers: SERVICES.nats.url });
  const jsm = await nc.jetstreamManager();
  const sub = await people.subscribe({ kind: 'nats' });
  await sleep(1500);
  const stream = streamName(people.orgId);
  const messages = async () => {
    try {
      return (await jsm.streams.info(stream)).state.messages;
    } catch {
      return 0;
    }
  };
  const before = await messages();
  const insertAll = async (schema: string, table: string) => {
    const base = 10_000_000 + Math.floor(Math.random() * 1e9);
    let first = 0;
    for (let from = 0; from < n; from += perTransaction) {
      const to = Math.min(n, from + perTransaction) - 1;
      await world.pgc.query(
        `INSERT INTO ${schema}.${table} SELECT ${PEOPLE_SELECT} FROM generate_series(${base + from}, ${base + to}) g`,
      );
      if (from === 0) first = performance.now();
    }
    return first;
  };
  const first = await insertAll(people.schema, 'people');
  await waitFor('the stream to hold all messages', async () => (await messages()) - before >= n, 600_000, 50);
  const platformSeconds = (performance.now() - first) / 1000;
  await people.unsubscribe(sub.id);
  await nc.drain();

  await world.pgc.query(`CREATE TABLE ${people.schema}.people_raw (${PEOPLE_COLUMNS})`);
  let decoded = 0;
  const reader = await rawReader(world.pgc, people.schema, 'people_raw', () => decoded++);
  await sleep(500);
  const rawFirst = await insertAll(people.schema, 'people_raw');
  await waitFor('all changes decoded', () => decoded >= n, 600_000, 10);
  const rawSeconds = (performance.now() - rawFirst) / 1000;
  await reader.stop();
  await world.pgc.query(`DROP TABLE ${people.schema}.people_raw`);
  return { platform: n / platformSeconds, raw: n / rawSeconds };
}

/**
 * Figure 3: a subscription with a staging channel into a fresh database; the clock runs from the
 * call that creates it until the staging table holds all `n` rows. The baseline: COPY of the same
 * columns from the source table straight into a table of a fresh database (psql | psql).
 */
export async function stagingSnapshot(world: World, people: Granted, n: number) {
  const db = `bench_stage_${Date.now().toString(36)}`;
  await world.pgc.query(`CREATE DATABASE ${db}`);
  const target = new pg.Client({ connectionString: SERVICES.postgres.url.replace(/\/test$/, `/${db}`) });
  await target.connect();
  const count = async () => {
    try {
      return Number((await target.query('SELECT count(*) AS n FROM people')).rows[0].n);
    } catch {
      return 0;
    }
  };
  const started = performance.now();
  const sub = await people.subscribe({
    kind: 'staging',
    dialect: 'postgres',
    host: '127.0.0.1',
    port: 5432,
    database: db,
    user: 'postgres',
    password: '',
    table: 'people',
  });
  const created = (performance.now() - started) / 1000;
  await waitFor('the staging table to hold all rows', async () => (await count()) >= n, 600_000, 50);
  const platformSeconds = (performance.now() - started) / 1000;
  await people.unsubscribe(sub.id);

  await target.query(
    'CREATE TABLE copied (xm text, sfzh text PRIMARY KEY, sjhm text, qh text, tjsj double precision)',
  );
  const url = SERVICES.postgres.url;
  const rawStarted = performance.now();
  const copy = spawnSync(
    'bash',
    [
      '-c',
      `set -o pipefail; psql '${url}' -qAt -c "COPY ${people.schema}.people (xm, sfzh, sjhm, qh, tjsj) TO STDOUT" | psql '${url.replace(/\/test$/, `/${db}`)}' -q -c "COPY copied FROM STDIN"`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (copy.status !== 0) throw new Error('COPY baseline failed');
  const rawSeconds = (performance.now() - rawStarted) / 1000;
  await target.end();
  await world.pgc.query(`DROP DATABASE ${db} WITH (FORCE)`);
  return { platform: n / platformSeconds, created, raw: n / rawSeconds };
}
