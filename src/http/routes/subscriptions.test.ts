import { afterAll, beforeAll, expect, it } from 'vitest';
import { capturedPeople } from '../../../test/support/captured-people.js';
import { buildApiKey, buildUser, TEST_PASSWORD } from '../../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../test/support/http.js';
import { expectRefusal } from '../../../test/support/refusals.js';
import type { postgresPeople } from '../../../test/support/source-data.js';
import { describeEachStore } from '../../../test/support/store.js';

const ID_MASK = /^\d{6}\*{8}\d{3}[\dX]$/;

// The source is the machine's PostgreSQL on both metadata stores (describeEachStore skips the
// postgres store when it is absent; the source needs it on both, so the suite skips with it).
describeEachStore('subscriptions over HTTP: create, list, get, pull, pause, delete, refusals', (kind) => {
  let server: TestServer;
  let pg: Awaited<ReturnType<typeof postgresPeople>>;
  let key: Credentials;
  let ungranted: Credentials;
  let steward: Credentials;
  let outsider: Credentials;
  let code: string;
  let sourceId: string;
  let created: string | undefined;

  const call = (as: Credentials, method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as object });

  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    const world = await capturedPeople(server, 6, [{ item: '区划', op: 'eq', value: '350102' }]);
    ({ pg, steward, code, sourceId } = world);
    outsider = await loginAs(
      server.app,
      (await buildUser(db, { orgId: world.police.id, roles: ['analyst'] })).username,
      TEST_PASSWORD,
    );
    key = bearer(world.consumerKey.key);
    ungranted = bearer((await buildApiKey(db, world.consumer.id)).key);
  });

  afterAll(async () => {
    // Deleting the last subscription drops the source's slot and publication.
    if (created) await call(key, 'DELETE', `/api/v1/subscriptions/${created}`).catch(() => undefined);
    await server?.close();
    await pg?.drop();
  });

  it('refuses an application without a grant, a person, and items outside the grant; nothing stays', async () => {
    const none = await call(ungranted, 'POST', '/api/v1/subscriptions', { resourceCode: code });
    expect(none.statusCode, none.body).toBe(403);
    const person = await call(steward, 'POST', '/api/v1/subscriptions', { resourceCode: code });
    expect([person.statusCode, person.json().error.code]).toEqual([403, 'forbidden']);
    const outside = await call(key, 'POST', '/api/v1/subscriptions', {
      resourceCode: code,
      fields: ['sjhm'],
    });
    expect([400, 403], outside.body).toContain(outside.statusCode);
    expect((await call(key, 'GET', '/api/v1/subscriptions')).json().items).toEqual([]);
  });

  it('refuses what change capture cannot follow: a resource bound to a SELECT, a table with no key', async () => {
    const bind = async (from: object) => {
      const bound = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, { sourceId, from });
      expect(bound.statusCode, bound.body).toBe(200);
    };
    const subscribe = () => call(key, 'POST', '/api/v1/subscriptions', { resourceCode: code });
    await pg.client.query(`CREATE TABLE ${pg.schema}.people_copy AS SELECT * FROM ${pg.schema}.people`);
    try {
      await bind({ kind: 'query', sql: `SELECT * FROM ${pg.schema}.people` });
      expectRefusal(await subscribe(), 'capture_not_supported');
      await bind({ kind: 'table', schema: pg.schema, table: 'people_copy' });
      expectRefusal(await subscribe(), 'capture_needs_key');
    } finally {
      await bind({ kind: 'table', schema: pg.schema, table: 'people' });
    }
    expect((await call(key, 'GET', '/api/v1/subscriptions')).json().items).toEqual([]);
  });

  it('creates with the snapshot, lists, gets, pulls masked events logged under the request, pauses and deletes', async () => {
    const made = await call(key, 'POST', '/api/v1/subscriptions', { resourceCode: code });
    expect(made.statusCode, made.body).toBe(201);
    created = made.json().id;
    expect(made.json()).toMatchObject({ resourceCode: code, status: 'active', channel: { kind: 'pull' } });
    expect(
      (await call(key, 'GET', '/api/v1/subscriptions')).json().items.map((s: { id: string }) => s.id),
    ).toEqual([created]);
    expect((await call(key, 'GET', `/api/v1/subscriptions/${created}`)).json().id).toBe(created);

    const pulled = await call(key, 'GET', `/api/v1/subscriptions/${created}/events?after=0`);
    expect(pulled.statusCode, pulled.body).toBe(200);
    const page = pulled.json();
    expect(page.events).toHaveLength(3);
    for (const e of page.events) {
      expect(e.op).toBe('insert');
      expect(Object.keys(e.row).sort()).toEqual(['qh', 'sfzh', 'xm']);
      expect(e.row.qh).toBe('350102');
      expect(e.row.sfzh).toMatch(ID_MASK);
    }
    // The page is a release logged under the request, with the body's figures.
    const requestId = String(pulled.headers['x-request-id']);
    const logged = [];
    for await (const entry of server.audit.streamEntries({}))
      if (entry.requestId === requestId) logged.push(entry);
    expect(logged.map((e) => e.type)).toEqual(['data.release.start', 'data.release.complete']);
    expect(logged[1]).toMatchObject({ resources: [code], data: { rows: 3, status: 'complete' } });
    const rest = await call(key, 'GET', `/api/v1/subscriptions/${created}/events?after=${page.next}`);
    expect(rest.json()).toMatchObject({ events: [], next: page.next });

    const paused = await call(key, 'POST', `/api/v1/subscriptions/${created}/pause`);
    expect(paused.json()).toMatchObject({ status: 'paused', reason: 'consumer' });
    const again = await call(key, 'POST', `/api/v1/subscriptions/${created}/pause`);
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'subscription_state_conflict']);

    expect((await call(key, 'DELETE', `/api/v1/subscriptions/${created}`)).statusCode).toBe(204);
    const gone = await call(key, 'GET', `/api/v1/subscriptions/${created}`);
    expect([gone.statusCode, gone.json().error.code]).toEqual([404, 'subscription_not_found']);
    created = undefined;
  });

  it('answers 404 for an unknown subscription and another organisation’s', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const url of [`/api/v1/subscriptions/${unknown}`, `/api/v1/subscriptions/${unknown}/events`]) {
      const r = await call(key, 'GET', url);
      expect([r.statusCode, r.json().error.code]).toEqual([404, 'subscription_not_found']);
    }
    const made = await call(key, 'POST', '/api/v1/subscriptions', { resourceCode: code });
    expect(made.statusCode, made.body).toBe(201);
    created = made.json().id;
    const other = await call(outsider, 'GET', `/api/v1/subscriptions/${created}`);
    expect(other.statusCode).toBe(404);
    expect((await call(outsider, 'GET', '/api/v1/subscriptions')).json().items).toEqual([]);
  });
});
