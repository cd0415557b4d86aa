import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, serviceAvailable, testOutbound } from '../../../test/support/services.js';
import type { Connector } from '../connectors/connector.js';
import { postgresConnector } from '../connectors/postgres.js';
import { pollingCapture } from './poll.js';
import type { CaptureBatch } from './types.js';

const up = await serviceAvailable('postgres');
const LIMITS = { connectTimeoutMs: 2000, queryTimeoutMs: 10_000, maxConnections: 2 };
const config = {
  host: '127.0.0.1',
  port: 5432,
  database: 'test',
  user: 'postgres',
  tls: { mode: 'disable' as const },
};

describe.skipIf(!up)('polling capture', () => {
  const schema = `poll_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(SERVICES.postgres.url);
  let connector: Connector;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.t (id int PRIMARY KEY, v text, version int NOT NULL)`);
    await admin.query(`INSERT INTO ${schema}.t VALUES (1, 'a', 1), (2, 'b', 2)`);
    connector = postgresConnector(config, undefined, LIMITS, testOutbound);
  });
  afterAll(async () => {
    await connector?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  /** Polls `polls` times (no waiting between polls) and returns the batches. */
  async function poll(from: string | null, polls: number) {
    const capture = pollingCapture(connector, { intervalMs: 0, keyCheckEvery: 2, batchSize: 2 });
    await capture.prepare([{ schema, table: 't', keyColumns: ['id'], incrementalColumn: 'version' }]);
    const stop = new AbortController();
    const batches: CaptureBatch[] = [];
    let seen = 0;
    await capture.run(
      from,
      async (b) => {
        batches.push(b);
        seen += 1;
        if (seen >= polls) stop.abort();
      },
      stop.signal,
    );
    return batches;
  }

  it('takes the rows there as the baseline, then reports inserts, updates and (by key comparison) deletes', async () => {
    const [baseline] = await poll(null, 1);
    expect(baseline?.changes).toEqual([]);
    await admin.query(`UPDATE ${schema}.t SET v = 'a2', version = 3 WHERE id = 1`);
    await admin.query(`INSERT INTO ${schema}.t VALUES (3, 'c', 4), (4, 'd', 4), (5, 'e', 5)`);
    await admin.query(`DELETE FROM ${schema}.t WHERE id = 2`);
    // The second poll is a key check (keyCheckEvery 2): the delete is found there.
    const batches = await poll(baseline?.position ?? null, 1);
    expect(batches.flatMap((b) => b.changes).map((c) => [c.op, c.key, c.row?.v ?? null])).toEqual([
      ['update', { id: 1 }, 'a2'],
      ['insert', { id: 3 }, 'c'],
      ['insert', { id: 4 }, 'd'],
      ['insert', { id: 5 }, 'e'],
      ['delete', { id: 2 }, null],
    ]);
    // Resuming from the stored position repeats nothing.
    await admin.query(`UPDATE ${schema}.t SET v = 'e2', version = 6 WHERE id = 5`);
    const later = await poll(batches.at(-1)?.position ?? null, 1);
    expect(later.flatMap((b) => b.changes).map((c) => [c.op, c.key])).toEqual([['update', { id: 5 }]]);
  });
});
