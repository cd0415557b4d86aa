import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { makeIdNumber, postgresPeople } from '../../test/support/source-data.js';
import { authenticateApiKey } from '../identity/index.js';
import { captureStatus } from '../query/index.js';
import { createSource } from '../sources/index.js';
import { startDeliveryLoop } from './delivery-loop.js';
import { readEvents } from './events.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';

const up = await serviceAvailable('postgres');

// The server's loop (src/server/subscriptions.ts): started before any subscription exists, it
// picks one up without a restart, delivers its changes, and stops without dropping the slot.
describe.skipIf(!up)('the delivery loop: per source, picking up subscriptions, stopping cleanly', () => {
  let server: TestServer;
  let pg: Awaited<ReturnType<typeof postgresPeople>>;
  let actor: Awaited<ReturnType<typeof authenticateApiKey>>;
  let code: string;
  let sourceId: string;
  let subscriptionId: string | undefined;

  const call = (as: Credentials, method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as object });

  beforeAll(async () => {
    server = await openTestServer('pglite');
    const db = server.store.db;
    pg = await postgresPeople(4);
    const police = await buildOrganization(db, { name: `公安厅-${pg.schema}` });
    const consumer = await buildOrganization(db, { name: `人社厅-${pg.schema}` });
    const steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: police.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    const analyst = await loginAs(
      server.app,
      (await buildUser(db, { orgId: consumer.id, roles: ['analyst'] })).username,
      TEST_PASSWORD,
    );
    const key = await buildApiKey(db, consumer.id);
    actor = await authenticateApiKey(db, key.key);
    sourceId = (
      await createSource(db, server.sources, {
        kind: 'postgres',
        name: '人口库',
        database: 'test',
        orgId: police.id,
        host: SERVICES.postgres.host,
        port: SERVICES.postgres.port,
        user: 'postgres',
        tls: { mode: 'disable' },
        description: '',
      })
    ).id;
    code = (await buildSharedResource(db, police.id, { sharingType: 'conditional', sharingMethods: ['api'] }))
      .code;
    const bound = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
      sourceId,
      from: { kind: 'table', schema: pg.schema, table: 'people' },
    });
    expect(bound.statusCode, bound.body).toBe(200);
    const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
      applicationId: key.application.id,
      resourceCode: code,
      items: ['姓名', '身份证号', '区划'],
      purpose: '社保待遇资格认证',
      legalBasis: '《社会保险法》',
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(requested.statusCode, requested.body).toBe(201);
    const approved = await call(steward, 'POST', `/api/v1/access-requests/${requested.json().id}/approve`, {
      items: [{ name: '姓名' }, { name: '身份证号' }, { name: '区划' }],
    });
    expect(approved.statusCode, approved.body).toBe(200);
  });

  afterAll(async () => {
    if (subscriptionId) await deleteSubscription(server.query, actor, subscriptionId).catch(() => undefined);
    await server?.close();
    await pg?.drop();
  });

  it('starts delivery for a subscription made after it started, and keeps the slot when stopped', async () => {
    const errors: unknown[] = [];
    const loop = startDeliveryLoop(server.query, {
      tickMs: 200,
      onError: (_, error) => errors.push(error),
    });
    try {
      await loop.tick();
      const created = await createSubscription(server.query, actor, { resourceCode: code });
      subscriptionId = created.id;
      const snapshot = (await readEvents(server.store.db, created.id, 0, 1000)).length;
      await pg.client.query(
        `INSERT INTO ${pg.schema}.people VALUES ('赵新', $1, '13800009999', '6222', '良好', '350102')`,
        [makeIdNumber('350102', '19900101', 97)],
      );
      const events = await until('the change delivered by the loop', async () => {
        if (errors.length) throw errors[0];
        const got = await readEvents(server.store.db, created.id, 0, 1000);
        return got.length > snapshot && got;
      });
      expect(events.at(-1)?.op).toBe('insert');
    } finally {
      await loop.stop();
    }
    expect(errors).toEqual([]);
    // Stopping is not unsubscribing: the slot stays, so changes made while stopped are kept.
    expect((await captureStatus(server.query, sourceId)).prepared).toBe(true);
  });
});
