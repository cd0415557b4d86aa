import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../test/support/poll.js';
import { SERVICES, serviceAvailable, testOutbound } from '../../../test/support/services.js';
import type { AppError } from '../../errors/index.js';
import { openPostgresSession, postgresClientConfig, postgresTypeParser } from '../connectors/postgres.js';
import { captureSlotName, postgresLogicalCapture } from './postgres-logical.js';
import type { CaptureBatch, ChangeCapture } from './types.js';

const up = await serviceAvailable('postgres');
const LIMITS = { connectTimeoutMs: 2000, queryTimeoutMs: 10_000, maxConnections: 2 };
const config = {
  host: '127.0.0.1',
  port: 5432,
  database: 'test',
  user: 'postgres',
  tls: { mode: 'disable' as const },
};

/** Runs the capture from `from` until `want` changes arrived; returns the batches. */
async function capture(c: ChangeCapture, from: string | null, want: number, act: () => Promise<void>) {
  const batches: CaptureBatch[] = [];
  const stop = new AbortController();
  const running = c.run(from, async (b) => void batches.push(b), stop.signal);
  let failure: unknown;
  running.catch((e) => {
    failure = e;
  });
  await act();
  await until('changes captured', () => {
    if (failure) throw failure;
    return batches.flatMap((b) => b.changes).length >= want;
  });
  stop.abort();
  await running;
  return batches;
}

describe.skipIf(!up)('postgres logical capture', () => {
  const schema = `cap_${randomBytes(5).toString('hex')}`;
  const sourceId = randomUUID();
  const admin = new pg.Client(SERVICES.postgres.url);
  const clientConfig = postgresClientConfig(config, undefined, LIMITS, testOutbound);
  const c = postgresLogicalCapture(sourceId, {
    clientConfig,
    session: () => openPostgresSession(clientConfig, LIMITS.connectTimeoutMs),
    typeParser: postgresTypeParser,
  });
  const slotExists = async () =>
    (
      await admin.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [
        captureSlotName(sourceId),
      ])
    ).rowCount === 1;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.people (id bigint PRIMARY KEY, name text, born date)`);
    await admin.query(`CREATE TABLE ${schema}.other (id bigint PRIMARY KEY)`);
    await admin.query(`CREATE TABLE ${schema}.nokey (v text)`);
  });
  afterAll(async () => {
    // No slot may outlive the test: it would hold WAL on the machine's server.
    await c.drop().catch(() => undefined);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it('creates a slot, streams inserts, updates and deletes of the bound tables only, resumes, and drops', async () => {
    await c.prepare([{ schema, table: 'people', keyColumns: ['id'] }]);
    expect(await slotExists()).toBe(true);
    const first = await capture(c, null, 3, async () => {
      await admin.query(`INSERT INTO ${schema}.other VALUES (1)`);
      await admin.query(`INSERT INTO ${schema}.people VALUES (1, '张三', '1990-01-02'), (2, '李四', null)`);
      await admin.query(`UPDATE ${schema}.people SET name = '张三丰' WHERE id = 1`);
    });
    const changes = first.flatMap((b) => b.changes);
    expect(changes.map((ch) => [ch.op, ch.key, ch.row])).toEqual([
      ['insert', { id: 1 }, { id: 1, name: '张三', born: '1990-01-02' }],
      ['insert', { id: 2 }, { id: 2, name: '李四', born: null }],
      ['update', { id: 1 }, { id: 1, name: '张三丰', born: '1990-01-02' }],
    ]);
    const position = first.at(-1)?.position as string;

    // Stopped: a delete happens meanwhile; resuming from the stored position delivers it, and
    // nothing that was acknowledged comes again.
    await admin.query(`DELETE FROM ${schema}.people WHERE id = 2`);
    const second = await capture(c, position, 1, async () => undefined);
    expect(second.flatMap((b) => b.changes).map((ch) => [ch.op, ch.key, ch.row])).toEqual([
      ['delete', { id: 2 }, null],
    ]);
    const status = await c.status();
    expect(status).toMatchObject({ method: 'logical', prepared: true });
    expect(status.retainedBytes).toBeGreaterThanOrEqual(0);

    await c.drop();
    expect(await slotExists()).toBe(false);
    const pubs = await admin.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [
      captureSlotName(sourceId),
    ]);
    expect(pubs.rowCount).toBe(0);
  });

  it('a batch that fails to be stored is sent again after a restart', async () => {
    await c.prepare([{ schema, table: 'people', keyColumns: ['id'] }]);
    const stop = new AbortController();
    const failing = c.run(
      null,
      async () => {
        throw new Error('store down');
      },
      stop.signal,
    );
    await admin.query(`INSERT INTO ${schema}.people VALUES (7, '王五', null)`);
    await expect(failing).rejects.toThrow('store down');
    const again = await capture(c, null, 1, async () => undefined);
    expect(again.flatMap((b) => b.changes).map((ch) => ch.key)).toEqual([{ id: 7 }]);
    await c.drop();
  });

  it('refuses a table without a key: publishing it would break the provider’s own updates', async () => {
    const error = (await c.prepare([{ schema, table: 'nokey', keyColumns: [] }]).catch((e) => e)) as AppError;
    expect(error.code).toBe('capture_needs_key');
    expect(await slotExists()).toBe(false);
  });
});
