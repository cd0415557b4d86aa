import { randomBytes, randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../../test/support/poll.js';
import { serviceAvailable, testOutbound } from '../../../test/support/services.js';
import type { AppError } from '../../errors/index.js';
import { createOutboundPolicy, type OutboundPolicy } from '../../net/index.js';
import type { Connector } from '../connectors/connector.js';
import { mysqlConnector } from '../connectors/mysql.js';
import { openMysqlSession } from '../connectors/mysql-session.js';
import { type BinlogMarks, mysqlBinlogCapture } from './mysql-binlog.js';
import type { CaptureBatch, CapturedChange, ChangeCapture } from './types.js';

const up = await serviceAvailable('mariadb');
const LIMITS = { connectTimeoutMs: 2000, queryTimeoutMs: 10_000, maxConnections: 2 };

/** The platform's stored mark, in memory: the test holds the stored positions itself. */
function memoryMarks(): BinlogMarks & { value: string | null } {
  const marks = {
    value: null as string | null,
    get: async () => marks.value,
    setIfAbsent: async (p: string) => {
      marks.value ??= p;
    },
    clear: async () => {
      marks.value = null;
    },
  };
  return marks;
}

const brief = (c: CapturedChange) => [c.op, c.table, c.key, c.row];
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: AppError) => e,
  );

/** Runs the capture from `from` until `want` changes arrived; returns the batches. */
async function capture(c: ChangeCapture, from: string | null, want: number, act: () => Promise<void>) {
  const batches: CaptureBatch[] = [];
  const stop = new AbortController();
  const running = c.run(from, async (b) => void batches.push(b), stop.signal);
  let failed: unknown;
  running.catch((e) => {
    failed = e;
  });
  await act();
  await until('changes captured', () => {
    if (failed) throw failed;
    return batches.flatMap((b) => b.changes).length >= want;
  });
  stop.abort();
  await running;
  return batches;
}

describe.skipIf(!up)('mysql binlog capture (MariaDB)', () => {
  const database = `huitong_bl_${randomBytes(5).toString('hex')}`;
  const user = `bl_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(9).toString('base64url');
  // A replication user of this file's own: its binlog dump is told from other files' by USER.
  const replicator = `rp_${randomBytes(4).toString('hex')}`;
  const config = { host: '127.0.0.1', port: 3306, database, user: 'root', tls: { mode: 'disable' as const } };
  let admin: mysql.Connection;
  let reads: Connector;
  const open = (
    marks: BinlogMarks,
    options: { outbound?: OutboundPolicy; user?: string; pw?: string; idleAdvanceMs?: number } = {},
  ) => {
    const cfg = { ...config, user: options.user ?? 'root' };
    const outbound = options.outbound ?? testOutbound;
    return mysqlBinlogCapture(randomUUID(), {
      config: cfg,
      password: options.pw,
      limits: LIMITS,
      outbound,
      session: () => openMysqlSession(cfg, options.pw, LIMITS, outbound),
      marks,
      ...(options.idleAdvanceMs === undefined ? {} : { idleAdvanceMs: options.idleAdvanceMs }),
    });
  };
  const people = { schema: null, table: 'people', keyColumns: ['id'] };
  const sql = (text: string) => admin.query(text.replaceAll('$db', database));
  const readRow = async (id: number) => {
    const result = await reads.read({
      from: { kind: 'table', table: 'people' },
      filters: [{ column: 'id', op: 'eq', value: id }],
      sort: [],
    });
    const names = result.columns.map((c) => c.name);
    for await (const batch of result.batches)
      for (const row of batch) return Object.fromEntries(names.map((n, i) => [n, row[i]]));
    return null;
  };

  beforeAll(async () => {
    admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', charset: 'utf8mb4' });
    await sql('CREATE DATABASE $db CHARACTER SET utf8mb4');
    await sql(`CREATE TABLE $db.people (
      id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL, born DATE, score DECIMAL(20,4),
      active TINYINT(1), seen DATETIME(3), note TEXT, big BIGINT UNSIGNED)`);
    await sql('CREATE TABLE $db.other (id INT PRIMARY KEY, v INT)');
    await sql('CREATE TABLE $db.nokey (v TEXT)');
    await sql(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    await sql(`CREATE USER '${user}'@'localhost' IDENTIFIED BY '${password}'`);
    await sql(`GRANT SELECT ON $db.* TO '${user}'@'%'`);
    await sql(`GRANT SELECT ON $db.* TO '${user}'@'localhost'`);
    for (const host of ['%', 'localhost']) {
      await sql(`CREATE USER '${replicator}'@'${host}' IDENTIFIED BY '${password}'`);
      await sql(`GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '${replicator}'@'${host}'`);
    }
    reads = mysqlConnector(config, undefined, LIMITS, testOutbound);
  });
  afterAll(async () => {
    await reads?.close();
    await sql('DROP DATABASE IF EXISTS $db');
    await sql(`DROP USER IF EXISTS '${user}'@'%'`);
    await sql(`DROP USER IF EXISTS '${user}'@'localhost'`);
    for (const host of ['%', 'localhost']) await sql(`DROP USER IF EXISTS '${replicator}'@'${host}'`);
    await admin.end();
  });

  it('captures inserts, updates and deletes of the prepared table in order, keyed, with the values reads give', async () => {
    const marks = memoryMarks();
    const c = open(marks);
    await c.prepare([people]);
    expect(marks.value).toMatch(/^\{"file":"[^"]+","pos":\d+\}$/);
    // Made after prepare and before the first run: the mark keeps them.
    await sql(`INSERT INTO $db.people VALUES
      (1, '张三', '1990-01-02', 12345678901234.5000, 1, '2024-03-01 08:00:00.125', '长文本', 18446744073709551615),
      (2, '李四', NULL, -0.0500, 0, NULL, NULL, 7)`);
    const batches = await capture(c, null, 7, async () => {
      await sql('INSERT INTO $db.other VALUES (1, 1)');
      await admin.beginTransaction();
      await sql(`UPDATE $db.people SET name = '张三丰' WHERE id = 1`);
      await sql('UPDATE $db.other SET v = 2');
      await sql('DELETE FROM $db.people WHERE id = 2');
      await admin.commit();
      await sql('UPDATE $db.people SET id = 3 WHERE id = 1');
      await sql(`INSERT INTO $db.people (id, name) VALUES (9, 'x')`);
    });
    const changes = batches.flatMap((b) => b.changes);
    expect(changes.map((ch) => [ch.op, ch.key])).toEqual([
      ['insert', { id: 1 }],
      ['insert', { id: 2 }],
      ['update', { id: 1 }],
      ['delete', { id: 2 }],
      // A key that changed: the old row goes, the new one comes.
      ['delete', { id: 1 }],
      ['insert', { id: 3 }],
      ['insert', { id: 9 }],
    ]);
    // One batch per transaction, positions increasing; the other table never appears.
    expect(batches.map((b) => b.changes.length)).toEqual([2, 2, 2, 1]);
    expect(changes.every((ch) => ch.table === 'people' && ch.schema === null)).toBe(true);
    expect(changes[0]?.row).toEqual({
      id: 1,
      name: '张三',
      born: '1990-01-02',
      score: '12345678901234.5000',
      active: true,
      seen: new Date('2024-03-01T08:00:00.125Z'),
      note: '长文本',
      big: '18446744073709551615',
    });
    // The same row as a read gives it (what the subscription's snapshot holds).
    expect(changes[5]?.row).toEqual(await readRow(3));
    expect(changes[1]?.row).toMatchObject({ score: '-0.0500', active: false, born: null });
    expect(changes[3]?.row).toBeNull();
    const status = await c.status();
    expect(status).toMatchObject({ method: 'binlog', prepared: true, confirmedPosition: marks.value });
    expect(status.retainedBytes).toBeGreaterThan(0);
    await c.drop();
    expect(marks.value).toBeNull();
  });

  it('resumes from a stored position: nothing lost, nothing repeated', async () => {
    const marks = memoryMarks();
    const c = open(marks);
    await c.prepare([people]);
    const first = await capture(c, null, 1, () =>
      sql(`INSERT INTO $db.people (id, name) VALUES (20, 'a')`).then(),
    );
    const stored = first.at(-1)?.position as string;
    // Stopped: changes happen meanwhile.
    await sql(`UPDATE $db.people SET name = 'b' WHERE id = 20`);
    await sql('INSERT INTO $db.other VALUES (20, 0)');
    await sql('DELETE FROM $db.people WHERE id = 20');
    const second = await capture(c, stored, 2, async () => undefined);
    expect(second.flatMap((b) => b.changes).map(brief)).toEqual([
      ['update', 'people', { id: 20 }, expect.objectContaining({ name: 'b' })],
      ['delete', 'people', { id: 20 }, null],
    ]);
  });

  it('a batch that fails to be stored stops the run and comes again from the stored position', async () => {
    const marks = memoryMarks();
    const c = open(marks);
    await c.prepare([people]);
    const stored = marks.value;
    const failing = c.run(
      stored,
      async () => {
        throw new Error('store down');
      },
      new AbortController().signal,
    );
    await sql(`INSERT INTO $db.people (id, name) VALUES (30, 'c')`);
    await expect(failing).rejects.toThrow('store down');
    const again = await capture(c, stored, 1, async () => undefined);
    expect(again.flatMap((b) => b.changes).map((ch) => ch.key)).toEqual([{ id: 30 }]);
  });

  it('the source dropping the connection rejects the run; a restart catches up the backlog', async () => {
    const marks = memoryMarks();
    const c = open(marks, { user: replicator, pw: password });
    await c.prepare([people]);
    // Other files' captures run beside this one: only this file's replication user is ours.
    const dumps = async () =>
      (
        (await admin.query(
          `SELECT ID AS id FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%' AND USER = ?`,
          [replicator],
        )) as unknown as [{ id: number }[]]
      )[0].map((r) => r.id);
    const got: CaptureBatch[] = [];
    const running = c.run(marks.value, async (b) => void got.push(b), new AbortController().signal);
    await sql(`INSERT INTO $db.people (id, name) VALUES (40, 'd')`);
    await until('first change', () => got.length >= 1);
    const ours = await dumps();
    expect(ours).toHaveLength(1);
    await sql(`KILL ${ours[0]}`);
    expect(((await failure(running)) as AppError).code).toMatch(/^source_/);
    // The backlog while it was down.
    await sql(`UPDATE $db.people SET name = 'e' WHERE id = 40`);
    await sql(`INSERT INTO $db.people (id, name) VALUES (41, 'f')`);
    const stored = got.at(-1)?.position as string;
    const caught = await capture(c, stored, 2, async () => undefined);
    expect(caught.flatMap((b) => b.changes).map((ch) => [ch.op, ch.key])).toEqual([
      ['update', { id: 40 }],
      ['insert', { id: 41 }],
    ]);
  });

  it('moves the stored position past other tables’ traffic and into a new binlog file', async () => {
    const marks = memoryMarks();
    const c = open(marks, { idleAdvanceMs: 0 });
    await c.prepare([people]);
    const start = JSON.parse(marks.value as string) as { file: string; pos: number };
    const got: CaptureBatch[] = [];
    const stop = new AbortController();
    const running = c.run(marks.value, async (b) => void got.push(b), stop.signal);
    // A quiet table's position must not stay in a file the server may purge.
    await sql('FLUSH BINARY LOGS');
    await sql('INSERT INTO $db.other VALUES (50, 0)');
    const moved = await until('an empty batch in the new file', () =>
      got.find((b) => b.changes.length === 0 && JSON.parse(b.position).file !== start.file),
    );
    stop.abort();
    await running;
    expect(got.every((b) => b.changes.length === 0)).toBe(true);
    // Resuming from there misses nothing that follows.
    const next = await capture(c, moved.position, 1, () =>
      sql(`INSERT INTO $db.people (id, name) VALUES (50, 'g')`).then(),
    );
    expect(next.flatMap((b) => b.changes).map((ch) => ch.key)).toEqual([{ id: 50 }]);
  });

  it('refuses a table without a key, a missing table, a user without replication grants, a purged position and a refused address', async () => {
    const c = open(memoryMarks());
    expect((await failure(c.prepare([{ schema: null, table: 'nokey', keyColumns: [] }]))).code).toBe(
      'capture_needs_key',
    );
    expect((await failure(c.prepare([{ schema: null, table: 'missing', keyColumns: ['id'] }]))).code).toBe(
      'capture_table_missing',
    );
    const plain = open(memoryMarks(), { user, pw: password });
    const refused = await failure(plain.prepare([people]));
    expect(refused.code).toBe('capture_not_configured');
    expect(refused.message).toMatch(/REPLICATION SLAVE/);
    const lost = await failure(
      c.run('{"file":"mariadb-bin.999999","pos":4}', async () => undefined, new AbortController().signal),
    );
    expect(lost.code).toBe('capture_position_lost');
    // Loopback is refused unless the operator allows it: the listener never connects.
    const strict = open(memoryMarks(), { outbound: createOutboundPolicy({ allow: [] }) });
    expect((await failure(strict.prepare([people]))).code).toBe('source_unreachable');
    expect(await c.keyColumns({ schema: null, table: 'people' })).toEqual(['id']);
  });
});
