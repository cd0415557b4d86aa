// Snapshot into a staging PostgreSQL (target ≥ 100,000 rows/s): the staging channel's driver
// loading `rows` snapshot events in batches of `batchSize` (each batch one transaction with its
// position), against the baseline of the same rows COPYed straight into a table of the same shape.
// `npx tsx bench/subscriptions/staging-snapshot.ts [rows] [batchSize]` prints both; the
// subscriptions benchmark may import measureStagingSnapshot.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { StagingConfigSchema, stagingDriver } from '../../src/exchange/channels/staging/index.js';
import type { DeliveredEvent } from '../../src/exchange/events.js';
import { createOutboundPolicy } from '../../src/net/index.js';

const COLUMNS = [
  { name: 'id', type: 'integer' },
  { name: 'name', type: 'string' },
  { name: 'born', type: 'date' },
  { name: 'income', type: 'decimal' },
  { name: 'score', type: 'number' },
  { name: 'active', type: 'boolean' },
  { name: 'seen_at', type: 'timestamp' },
  { name: 'id_card', type: 'string' },
];

function events(rows: number): DeliveredEvent[] {
  const createdAt = new Date().toISOString();
  return Array.from({ length: rows }, (_, i) => ({
    seq: i + 1,
    eventId: `ev-${i + 1}`,
    op: 'insert',
    key: { id: i + 1 },
    keyId: randomBytes(16).toString('hex'),
    row: {
      id: i + 1,
      name: `人员 ${i + 1}`,
      born: '1990-02-03',
      income: `${i}.25`,
      score: i / 7,
      active: i % 2 === 0,
      seen_at: '2026-01-02T03:04:05.678Z',
      id_card: `1101**********${String(i % 10_000).padStart(4, '0')}`,
    },
    createdAt,
  }));
}

/** Rows per second through the driver, and straight COPY of the same rows (the baseline). */
export async function measureStagingSnapshot(rows = 200_000, batchSize = 1_000) {
  const database = `huitong_stg_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    const all = events(rows);
    const config = StagingConfigSchema.parse({
      dialect: 'postgres',
      host: '127.0.0.1',
      port: 5432,
      database,
      user: 'postgres',
      table: 'people',
    });
    const driver = stagingDriver({ policy: createOutboundPolicy({ allow: ['127.0.0.1'] }), config });
    const started = performance.now();
    for (let i = 0; i < all.length; i += batchSize) {
      const slice = all.slice(i, i + batchSize);
      await driver.deliver({
        target: { subscriptionId: 'bench', orgId: 'o', applicationId: 'a', resourceCode: 'R' },
        events: slice,
        columns: COLUMNS,
        keyColumns: ['id'],
        snapshot: true,
        body: '',
      });
    }
    // The first change after the snapshot (adds the primary key) counts as part of the load.
    await driver.deliver({
      target: { subscriptionId: 'bench', orgId: 'o', applicationId: 'a', resourceCode: 'R' },
      events: [{ ...(all[0] as DeliveredEvent), seq: rows + 1, eventId: 'ev-last', op: 'update' }],
      columns: COLUMNS,
      keyColumns: ['id'],
      snapshot: false,
      body: '',
    });
    const ours = rows / ((performance.now() - started) / 1000);
    await driver.close();

    const direct = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database });
    await direct.connect();
    await direct.query(
      `CREATE TABLE baseline (huitong_key_id text COLLATE "C" PRIMARY KEY, id bigint, name text, born date, income numeric,
        score double precision, active boolean, seen_at timestamptz, id_card text)`,
    );
    const t0 = performance.now();
    for (let i = 0; i < all.length; i += batchSize) {
      const lines = all.slice(i, i + batchSize).map((e) => {
        const r = e.row as Record<string, unknown>;
        return `${[e.keyId, r.id, r.name, r.born, r.income, r.score, r.active ? 't' : 'f', r.seen_at, r.id_card].join('\t')}\n`;
      });
      await direct.query('BEGIN');
      await pipeline(
        Readable.from([lines.join('')]),
        direct.query(copyStreams.from('COPY baseline FROM STDIN')),
      );
      await direct.query('COMMIT');
    }
    const baseline = rows / ((performance.now() - t0) / 1000);
    await direct.end();
    return { rows, batchSize, ours, baseline };
  } finally {
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureStagingSnapshot(
    Number(process.argv[2] ?? 200_000),
    Number(process.argv[3] ?? 1_000),
  );
  console.log(
    `rows ${r.rows}, batches of ${r.batchSize}: driver ${Math.round(r.ours)} rows/s, straight COPY ${Math.round(r.baseline)} rows/s (${(r.ours / r.baseline).toFixed(2)})`,
  );
}
