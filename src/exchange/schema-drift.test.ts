import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedPeople, subscriptionOptions } from '../../test/support/captured-people.js';
import { openTestServer, type TestServer } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { serviceAvailable } from '../../test/support/services.js';
import { makeIdNumber, type postgresPeople } from '../../test/support/source-data.js';
import { authenticateApiKey } from '../identity/index.js';
import { readEvents } from './events.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';
import { getSubscription } from './subscriptions-read.js';
import { runSourceDelivery } from './worker.js';

const up = await serviceAvailable('postgres');

describe.skipIf(!up)('subscriptions: schema drift at the source', () => {
  let server: TestServer;
  let pg: Awaited<ReturnType<typeof postgresPeople>>;
  let actor: Awaited<ReturnType<typeof authenticateApiKey>>;
  let code: string;
  let sourceId: string;
  let subscriptionId: string | undefined;

  beforeAll(async () => {
    server = await openTestServer('pglite');
    let consumerKey: Awaited<ReturnType<typeof capturedPeople>>['consumerKey'];
    ({ pg, consumerKey, code, sourceId } = await capturedPeople(server, 4));
    actor = await authenticateApiKey(server.store.db, consumerKey.key);
  });

  afterAll(async () => {
    if (subscriptionId) await deleteSubscription(server.query, actor, subscriptionId).catch(() => undefined);
    await server?.close();
    await pg?.drop();
  });

  it('pauses with schema_drift when a bound column is renamed, and delivers nothing against the wrong items', async () => {
    const created = await createSubscription(
      server.query,
      actor,
      { resourceCode: code },
      subscriptionOptions,
    );
    subscriptionId = created.id;
    const snapshot = (await readEvents(server.store.db, created.id, 0, 1000)).length;
    expect(snapshot).toBe(4);

    // 姓名 is bound to xm: renamed at the source, the next change has no xm.
    await pg.client.query(`ALTER TABLE ${pg.schema}.people RENAME COLUMN xm TO xingming`);
    await pg.client.query(
      `INSERT INTO ${pg.schema}.people VALUES ('赵新', $1, '13800009999', '6222', '良好', '350102')`,
      [makeIdNumber('350102', '19900101', 99)],
    );
    const stop = new AbortController();
    const running = runSourceDelivery(server.query, sourceId, stop.signal);
    const paused = await until('paused', async () => {
      const s = await getSubscription(server.store.db, actor, created.id);
      return s.status === 'paused' && s;
    });
    stop.abort();
    await running;
    expect(paused.reason).toBe('schema_drift');
    expect(await readEvents(server.store.db, created.id, 0, 1000)).toHaveLength(snapshot);
  });
});
