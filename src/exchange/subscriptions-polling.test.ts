import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionOptions } from '../../test/support/captured-people.js';
import {
  buildApiKey,
  buildOrganization,
  buildSharedResource,
  buildUser,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import {
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { SERVICES, serviceAvailable } from '../../test/support/services.js';
import { makeIdNumber, peopleRows, postgresPeople } from '../../test/support/source-data.js';
import { authenticateApiKey } from '../identity/index.js';
import type { QueryContext } from '../query/index.js';
import { createSource, importFile, openCapture, replaceFile } from '../sources/index.js';
import { readEvents } from './events.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';
import { runSourceDelivery } from './worker.js';

const up = await serviceAvailable('postgres');
const ID_MASK = /^\d{6}\*{8}\d{3}[\dX]$/;
const ITEMS = ['姓名', '身份证号', '区划'];

// The three captures without a change log, each end to end: a PostgreSQL table without a primary
// key polled by the steward's key and incremental column (logical decoding not used), a file
// diffed by key at each new upload, an HTTP JSON source (a real server) diffed at each poll.
// Every change goes through the grant's enforcement (masks, the row filter 区划 = 350102).
describe('subscriptions captured by polling and by diffs', () => {
  let server: TestServer;
  let quick: QueryContext;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    server = await openTestServer('pglite');
    // The same context with short poll intervals, as the delivery loop would run it.
    quick = {
      ...server.query,
      captureFor: (id, options) =>
        openCapture(server.store.db, server.sources, id, { ...options, intervalMs: 50 }),
    };
  });
  afterAll(async () => {
    for (const clean of cleanups.reverse()) await clean().catch(() => undefined);
    await server?.close();
  });

  /** A provider with a source (made by `source`) bound to a resource with `capture`, granted filtered to a consumer app. */
  async function granted(
    source: (orgId: string) => Promise<string>,
    from: object,
    capture: object,
  ): Promise<{ code: string; sourceId: string; steward: Credentials; subscribe: () => Promise<string> }> {
    const db = server.store.db;
    const suffix = Math.random().toString(36).slice(2, 8);
    const provider = await buildOrganization(db, { name: `公安厅-${suffix}` });
    const consumer = await buildOrganization(db, { name: `人社厅-${suffix}` });
    const login = async (orgId: string, role: 'data_steward' | 'analyst') =>
      loginAs(server.app, (await buildUser(db, { orgId, roles: [role] })).username, TEST_PASSWORD);
    const call = (as: Credentials, method: 'PUT' | 'POST', url: string, payload: object) =>
      server.app.inject({ method, url, headers: as.headers, payload });
    const steward = await login(provider.id, 'data_steward');
    const analyst = await login(consumer.id, 'analyst');
    const key = await buildApiKey(db, consumer.id);
    const sourceId = await source(provider.id);
    const { code } = await buildSharedResource(db, provider.id, {
      sharingType: 'conditional',
      sharingMethods: ['api'],
    });
    const wrong = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
      sourceId,
      from,
      capture: { ...capture, keyColumns: ['no_such_column'] },
    });
    expect(wrong.statusCode, wrong.body).toBe(400);
    expect(errorCode(wrong)).toBe('unknown_column');
    const bound = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
      sourceId,
      from,
      capture,
    });
    expect(bound.statusCode, bound.body).toBe(200);
    expect(bound.json().capture).toMatchObject(capture);
    const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
      applicationId: key.application.id,
      resourceCode: code,
      items: ITEMS,
      purpose: '社保待遇资格认证',
      legalBasis: '《社会保险法》',
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(requested.statusCode, requested.body).toBe(201);
    const approved = await call(steward, 'POST', `/api/v1/access-requests/${requested.json().id}/approve`, {
      items: ITEMS.map((name) => ({ name })),
      rowFilter: [{ item: '区划', op: 'eq', value: '350102' }],
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const actor = await authenticateApiKey(db, key.key);
    const subscribe = async () => {
      const created = await createSubscription(
        server.query,
        actor,
        { resourceCode: code },
        subscriptionOptions,
      );
      cleanups.push(() => deleteSubscription(server.query, actor, created.id));
      return created.id;
    };
    return { code, sourceId, steward, subscribe };
  }

  /** Runs delivery until the subscription has `count` events, then stops it. */
  async function deliverUntil(sourceId: string, subscriptionId: string, count: number) {
    const stop = new AbortController();
    let failure: unknown;
    const running = runSourceDelivery(quick, sourceId, stop.signal).catch((e) => {
      failure = e;
    });
    try {
      return await until('events delivered', async () => {
        if (failure) throw failure;
        const got = await readEvents(server.store.db, subscriptionId, 0, 1000);
        return got.length >= count && got;
      });
    } finally {
      stop.abort();
      await running;
    }
  }

  /** The changes after the snapshot's `n` events: op, and whether each carries what the grant allows, masked. */
  function checkChanges(events: Awaited<ReturnType<typeof readEvents>>, snapshot: typeof events) {
    const changes = events.slice(snapshot.length);
    for (const e of changes) {
      expect(e.key.sfzh).toMatch(ID_MASK);
      if (e.op === 'delete') expect(e.row).toBeNull();
      else {
        expect(Object.keys(e.row ?? {}).sort()).toEqual(['qh', 'sfzh', 'xm']);
        expect(e.row?.qh).toBe('350102');
        expect(e.row?.sfzh).toMatch(ID_MASK);
      }
    }
    return changes;
  }

  it.skipIf(!up)(
    'polls a PostgreSQL table without a primary key by the steward’s key and incremental column',
    async () => {
      const pg = await postgresPeople(6);
      cleanups.push(() => pg.drop());
      await pg.client.query(`ALTER TABLE ${pg.schema}.people DROP CONSTRAINT people_pkey`);
      await pg.client.query(`ALTER TABLE ${pg.schema}.people ADD COLUMN ver int NOT NULL DEFAULT 0`);
      const world = await granted(
        async (orgId) =>
          (
            await createSource(server.store.db, server.sources, {
              kind: 'postgres',
              name: '人口库',
              database: 'test',
              orgId,
              host: SERVICES.postgres.host,
              port: SERVICES.postgres.port,
              user: 'postgres',
              tls: { mode: 'disable' },
              description: '',
            })
          ).id,
        { kind: 'table', schema: pg.schema, table: 'people' },
        { keyColumns: ['sfzh'], incrementalColumn: 'ver', keyCheckEvery: 1, method: 'poll' },
      );
      const id = await world.subscribe();
      const snapshot = await readEvents(server.store.db, id, 0, 1000);
      expect(snapshot).toHaveLength(3);
      const held = (
        await pg.client.query(`SELECT sfzh FROM ${pg.schema}.people WHERE qh = '350102' ORDER BY sfzh`)
      ).rows.map((r) => r.sfzh as string);
      // Made before delivery runs: the baseline was taken when the subscription was made.
      await pg.client.query(
        `INSERT INTO ${pg.schema}.people VALUES ('赵新', $1, '13800009999', '6222', '良好', '350102', 1)`,
        [makeIdNumber('350102', '19900101', 99)],
      );
      await pg.client.query(`UPDATE ${pg.schema}.people SET xm = '李改', ver = 2 WHERE sfzh = $1`, [held[0]]);
      await pg.client.query(`DELETE FROM ${pg.schema}.people WHERE sfzh = $1`, [held[1]]);
      // Outside the row filter: nothing for this subscriber.
      await pg.client.query(
        `INSERT INTO ${pg.schema}.people VALUES ('钱外', $1, '1', '2', '良好', '110105', 3)`,
        [makeIdNumber('110105', '19900101', 98)],
      );
      const events = await deliverUntil(world.sourceId, id, 6);
      const changes = checkChanges(events, snapshot);
      expect(changes.map((e) => e.op).sort()).toEqual(['delete', 'insert', 'update']);
      const byOp = Object.fromEntries(changes.map((e) => [e.op, e]));
      expect(byOp.update?.keyId).toBe(snapshot.find((s) => s.key.sfzh === byOp.update?.key.sfzh)?.keyId);
      expect(snapshot.map((s) => s.keyId)).toContain(byOp.delete?.keyId);
      expect(snapshot.map((s) => s.keyId)).not.toContain(byOp.insert?.keyId);
      // The position is stored: a restart resumes and delivers nothing again.
      const position = await server.store.db
        .selectFrom('capture_positions')
        .select('position')
        .where('source_id', '=', world.sourceId)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(position.position ?? '{}').tables).toBeDefined();
      await pg.client.query(
        `UPDATE ${pg.schema}.people SET xm = '赵改', ver = 4 WHERE qh = '350102' AND ver = 1`,
      );
      const again = await deliverUntil(world.sourceId, id, 7);
      expect(again.slice(6).map((e) => e.op)).toEqual(['update']);
    },
  );

  it('diffs each new version of a file by key: one changed, one added, one removed', async () => {
    const rows = peopleRows(6);
    const csv = (list: string[][]) =>
      Readable.from([`xm,sfzh,sjhm,yhkh,jkzk,qh\n${list.map((r) => r.join(',')).join('\n')}\n`]);
    const upload = { format: 'csv' as const, encoding: 'utf-8' as const, header: true };
    const world = await granted(
      async (orgId) =>
        (await importFile(server.store.db, server.sources, csv(rows), { ...upload, orgId, name: '人口文件' }))
          .source.id,
      { kind: 'table', table: 'data' },
      { keyColumns: ['sfzh'] },
    );
    const id = await world.subscribe();
    const snapshot = await readEvents(server.store.db, id, 0, 1000);
    expect(snapshot).toHaveLength(3);
    // v2: the first 350102 row renamed, the second removed, a new 350102 row added.
    const v2 = rows.filter((_, i) => i !== 2).map((r, i) => (i === 0 ? ['张改', ...r.slice(1)] : r));
    v2.push(['赵新', makeIdNumber('350102', '19900101', 99), '13800009999', '6222', '良好', '350102']);
    const replaced = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/sources/${world.sourceId}/file?format=csv&encoding=utf-8`,
      headers: { ...world.steward.headers, 'content-type': 'text/csv' },
      payload: `xm,sfzh,sjhm,yhkh,jkzk,qh\n${v2.map((r) => r.join(',')).join('\n')}\n`,
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().rowCount).toBe(6);
    const events = await deliverUntil(world.sourceId, id, 6);
    const changes = checkChanges(events, snapshot);
    expect(changes.map((e) => e.op).sort()).toEqual(['delete', 'insert', 'update']);
    expect(changes.find((e) => e.op === 'update')?.row?.xm).not.toBe('张改');
    const position = await server.store.db
      .selectFrom('capture_positions')
      .select('position')
      .where('source_id', '=', world.sourceId)
      .executeTakeFirstOrThrow();
    // The position is the version (the file's path), with keyed digests only.
    const stored = JSON.parse(position.position ?? '{}');
    expect(stored.version).toContain(world.sourceId);
    expect(position.position).not.toContain('张改');
    // The library call does the same as the route.
    await replaceFile(server.store.db, server.sources, world.sourceId, csv(v2.slice(1)), upload);
    const more = await deliverUntil(world.sourceId, id, 7);
    expect(more.slice(6).map((e) => e.op)).toEqual(['delete']);
  });

  it('polls an HTTP JSON source and diffs it by key', async () => {
    let people = peopleRows(6).map(([xm, sfzh, sjhm, yhkh, jkzk, qh]) => ({
      xm,
      sfzh,
      sjhm,
      yhkh,
      jkzk,
      qh,
    }));
    const http: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(people));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => http.close(resolve)));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/people`;
    const world = await granted(
      async (orgId) =>
        (
          await createSource(server.store.db, server.sources, {
            kind: 'http_json',
            name: '人口接口',
            orgId,
            url,
            description: '',
          } as Parameters<typeof createSource>[2])
        ).id,
      { kind: 'table', table: 'records' },
      { keyColumns: ['sfzh'] },
    );
    const id = await world.subscribe();
    const snapshot = await readEvents(server.store.db, id, 0, 1000);
    expect(snapshot).toHaveLength(3);
    const held = people.filter((p) => p.qh === '350102');
    people = people
      .filter((p) => p.sfzh !== held[1]?.sfzh)
      .map((p) => (p.sfzh === held[0]?.sfzh ? { ...p, xm: '张改' } : p));
    people.push({
      xm: '赵新',
      sfzh: makeIdNumber('350102', '19900101', 99),
      sjhm: '1',
      yhkh: '2',
      jkzk: '良好',
      qh: '350102',
    });
    const events = await deliverUntil(world.sourceId, id, 6);
    const changes = checkChanges(events, snapshot);
    expect(changes.map((e) => e.op).sort()).toEqual(['delete', 'insert', 'update']);
  });
});
