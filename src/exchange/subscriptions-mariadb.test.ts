import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionOptions } from '../../test/support/captured-people.js';
import {
  buildApiKey,
  buildOrganization,
  buildSharedResource,
  buildUser,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { SERVICES, serviceAvailable } from '../../test/support/services.js';
import { makeIdNumber, peopleRows } from '../../test/support/source-data.js';
import { authenticateApiKey } from '../identity/index.js';
import { createSource } from '../sources/index.js';
import { readEvents } from './events.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';
import { runSourceDelivery } from './worker.js';

const up = await serviceAvailable('mariadb');
const ID_MASK = /^\d{6}\*{8}\d{3}[\dX]$/;

// The MariaDB twin of subscriptions.test.ts: the provider's people table lives in a database of
// its own on the machine's MariaDB and is captured by the row-based binlog; the metadata store is
// PGlite. The binlog holds nothing for us at the source: the stored position is all there is.
describe.skipIf(!up)('subscriptions: snapshot, then enforced changes by the MariaDB binlog', () => {
  const database = `huitong_bl_${randomBytes(5).toString('hex')}`;
  let server: TestServer;
  let admin: mysql.Connection;
  let actor: Awaited<ReturnType<typeof authenticateApiKey>>;
  let code: string;
  let sourceId: string;
  let subscriptionId: string | undefined;

  /** Runs delivery until `ready` holds of the events, then stops it (as a restart would). */
  async function deliverUntil(ready: (events: Awaited<ReturnType<typeof readEvents>>) => boolean) {
    const stop = new AbortController();
    let failure: unknown;
    const running = runSourceDelivery(server.query, sourceId, stop.signal).catch((e) => {
      failure = e;
    });
    const events = await until('events delivered', async () => {
      if (failure) throw failure;
      const got = await readEvents(server.store.db, subscriptionId as string, 0, 1000);
      return ready(got) && got;
    });
    stop.abort();
    await running;
    return events;
  }

  beforeAll(async () => {
    server = await openTestServer('pglite');
    const db = server.store.db;
    admin = await mysql.createConnection({
      host: SERVICES.mariadb.host,
      port: SERVICES.mariadb.port,
      user: 'root',
      charset: 'utf8mb4',
    });
    await admin.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
    await admin.query(`CREATE TABLE ${database}.people (
      xm VARCHAR(50), sfzh VARCHAR(18) PRIMARY KEY, sjhm VARCHAR(20), yhkh VARCHAR(30),
      jkzk VARCHAR(10), qh VARCHAR(6))`);
    for (const row of peopleRows(6))
      await admin.query(`INSERT INTO ${database}.people VALUES (?,?,?,?,?,?)`, row);

    const police = await buildOrganization(db, { name: `公安厅-${database}` });
    const consumer = await buildOrganization(db, { name: `人社厅-${database}` });
    const login = async (orgId: string, role: 'data_steward' | 'analyst'): Promise<Credentials> =>
      loginAs(server.app, (await buildUser(db, { orgId, roles: [role] })).username, TEST_PASSWORD);
    const call = (as: Credentials, method: 'PUT' | 'POST', url: string, payload: object) =>
      server.app.inject({ method, url, headers: as.headers, payload });
    const steward = await login(police.id, 'data_steward');
    const analyst = await login(consumer.id, 'analyst');
    const consumerKey = await buildApiKey(db, consumer.id);
    const source = await createSource(db, server.sources, {
      kind: 'mysql',
      name: '人口库',
      database,
      orgId: police.id,
      host: SERVICES.mariadb.host,
      port: SERVICES.mariadb.port,
      user: 'root',
      tls: { mode: 'disable' },
      description: '',
    });
    sourceId = source.id;
    ({ code } = await buildSharedResource(db, police.id, {
      sharingType: 'conditional',
      sharingMethods: ['api'],
    }));
    const bound = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
      sourceId,
      from: { kind: 'table', schema: database, table: 'people' },
    });
    expect(bound.statusCode, bound.body).toBe(200);
    const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
      applicationId: consumerKey.application.id,
      resourceCode: code,
      items: ['姓名', '身份证号', '区划'],
      purpose: '社保待遇资格认证',
      legalBasis: '《社会保险法》',
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(requested.statusCode, requested.body).toBe(201);
    const approved = await call(steward, 'POST', `/api/v1/access-requests/${requested.json().id}/approve`, {
      items: [{ name: '姓名' }, { name: '身份证号' }, { name: '区划' }],
      rowFilter: [{ item: '区划', op: 'eq', value: '350102' }],
    });
    expect(approved.statusCode, approved.body).toBe(200);
    actor = await authenticateApiKey(db, consumerKey.key);
  });

  afterAll(async () => {
    if (subscriptionId) await deleteSubscription(server.query, actor, subscriptionId).catch(() => undefined);
    await server?.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${database}`);
    await admin?.end();
  });

  it('delivers the snapshot masked and filtered, then inserts, updates and deletes; resumes after a stop', async () => {
    const created = await createSubscription(
      server.query,
      actor,
      { resourceCode: code },
      subscriptionOptions,
    );
    subscriptionId = created.id;
    expect(created.status).toBe('active');
    const snapshot = await readEvents(server.store.db, created.id, 0, 1000);
    expect(snapshot).toHaveLength(3);
    for (const e of snapshot) {
      expect(e.op).toBe('insert');
      expect(Object.keys(e.row ?? {}).sort()).toEqual(['qh', 'sfzh', 'xm']);
      expect(e.row?.qh).toBe('350102');
      expect(e.row?.sfzh).toMatch(ID_MASK);
    }
    // Where the binlog stood when the capture was prepared: the first run starts there.
    const mark = await server.store.db
      .selectFrom('capture_positions')
      .select('position')
      .where('source_id', '=', sourceId)
      .executeTakeFirst();
    expect(mark?.position).toMatch(/^\{"file":/);

    // Made before delivery first runs: the prepared position keeps them.
    const fresh = makeIdNumber('350102', '19900101', 99);
    await admin.query(
      `INSERT INTO ${database}.people VALUES ('赵新', ?, '13800009999', '6222', '良好', '350102')`,
      [fresh],
    );
    await admin.query(
      `INSERT INTO ${database}.people VALUES ('钱外', ?, '13800009998', '6222', '良好', '110105')`,
      [makeIdNumber('110105', '19900101', 98)],
    );
    const [firstRows] = (await admin.query(
      `SELECT sfzh FROM ${database}.people WHERE qh = '350102' AND sfzh <> ? ORDER BY sfzh LIMIT 2`,
      [fresh],
    )) as unknown as [{ sfzh: string }[]];
    const [leaving, deleted] = firstRows.map((r) => r.sfzh);
    await admin.query(`UPDATE ${database}.people SET qh = '110105' WHERE sfzh = ?`, [leaving]);
    const changes = (await deliverUntil((got) => got.length >= 5)).slice(3);
    expect(changes.map((e) => e.op)).toEqual(['insert', 'delete']);
    expect(changes[0]?.row?.sfzh).toMatch(ID_MASK);
    expect(changes[0]?.row?.qh).toBe('350102');
    // The row that left the row filter goes as a delete of the key the subscriber holds.
    expect(snapshot.map((e) => e.keyId)).toContain(changes[1]?.keyId);
    expect(changes[1]?.row).toBeNull();

    // Stopped: an update and a delete meanwhile arrive after the restart, from the stored position.
    await admin.query(`UPDATE ${database}.people SET xm = '赵改' WHERE sfzh = ?`, [fresh]);
    await admin.query(`DELETE FROM ${database}.people WHERE sfzh = ?`, [deleted]);
    const later = (await deliverUntil((got) => got.length >= 7)).slice(5);
    expect(later.map((e) => e.op)).toEqual(['update', 'delete']);
    expect(later[0]?.keyId).toBe(changes[0]?.keyId);
    expect(later[0]?.row?.xm).not.toBe('赵改');
    expect(later[0]?.row?.xm).toMatch(/^赵/);
    expect(snapshot.map((e) => e.keyId)).toContain(later[1]?.keyId);
    // Nothing repeated: each change once.
    expect(new Set((await readEvents(server.store.db, created.id, 0, 1000)).map((e) => e.eventId)).size).toBe(
      7,
    );

    // The last subscription gone, the stored position goes with it.
    await deleteSubscription(server.query, actor, created.id);
    subscriptionId = undefined;
    const after = await server.store.db
      .selectFrom('capture_positions')
      .select('position')
      .where('source_id', '=', sourceId)
      .executeTakeFirst();
    expect(after).toBeUndefined();
  });
});
