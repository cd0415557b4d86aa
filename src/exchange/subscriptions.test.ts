import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedPeople, subscriptionOptions } from '../../test/support/captured-people.js';
import { type Credentials, openTestServer, type TestServer } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { serviceAvailable } from '../../test/support/services.js';
import { makeIdNumber, type postgresPeople } from '../../test/support/source-data.js';
import { authenticateApiKey } from '../identity/index.js';
import { readEvents } from './events.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';
import { getSubscription } from './subscriptions-read.js';
import { runSourceDelivery } from './worker.js';

const up = await serviceAvailable('postgres');
const ID_MASK = /^\d{6}\*{8}\d{3}[\dX]$/;

// One store kind (PGlite) for the metadata; the source is the machine's PostgreSQL, captured by
// logical replication. The subscription's slot is dropped with it in afterAll.
describe.skipIf(!up)('subscriptions: snapshot, then enforced changes by logical replication', () => {
  let server: TestServer;
  let pg: Awaited<ReturnType<typeof postgresPeople>>;
  let steward: Credentials;
  let actor: Awaited<ReturnType<typeof authenticateApiKey>>;
  let code: string;
  let sourceId: string;
  let grantId: string;
  let subscriptionId: string | undefined;

  const call = (as: Credentials, method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as object });

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
    let consumerKey: Awaited<ReturnType<typeof capturedPeople>>['consumerKey'];
    ({ pg, steward, consumerKey, code, sourceId, grantId } = await capturedPeople(server, 6, [
      { item: '区划', op: 'eq', value: '350102' },
    ]));
    actor = await authenticateApiKey(server.store.db, consumerKey.key);
  });

  afterAll(async () => {
    // Deleting the last subscription drops the source's slot and publication.
    if (subscriptionId) await deleteSubscription(server.query, actor, subscriptionId).catch(() => undefined);
    await server?.close();
    await pg?.drop();
  });

  it('delivers the snapshot masked and filtered, then changes; a row leaving the filter is a delete; resumes after a stop; stops at revocation', async () => {
    const entries = async () =>
      (await server.store.db.selectFrom('audit_entries').select('idx').execute()).length;
    const before = await entries();
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
      expect(e.key.sfzh).toMatch(ID_MASK);
    }
    // The snapshot batch's release entry (start and completion) is in the log.
    expect(await entries()).toBeGreaterThanOrEqual(before + 2);

    // Changes while delivery is stopped are not lost: the slot keeps them.
    const fresh = makeIdNumber('350102', '19900101', 99);
    await pg.client.query(
      `INSERT INTO ${pg.schema}.people VALUES ('赵新', $1, '13800009999', '6222', '良好', '350102')`,
      [fresh],
    );
    await pg.client.query(
      `INSERT INTO ${pg.schema}.people VALUES ('钱外', $1, '13800009998', '6222', '良好', '110105')`,
      [makeIdNumber('110105', '19900101', 98)],
    );
    const leaving = snapshot[0]?.keyId;
    const first = (
      await pg.client.query(`SELECT sfzh FROM ${pg.schema}.people WHERE qh = '350102' ORDER BY sfzh LIMIT 1`)
    ).rows[0].sfzh;
    await pg.client.query(`UPDATE ${pg.schema}.people SET qh = '110105' WHERE sfzh = $1`, [first]);

    const events = await deliverUntil((got) => got.length >= 5);
    const changes = events.slice(3);
    expect(changes.map((e) => e.op)).toEqual(['insert', 'delete']);
    expect(changes[0]?.row?.sfzh).toMatch(ID_MASK);
    expect(changes[0]?.row?.xm).not.toBe('赵新');
    // The row that left the row filter goes as a delete of the key the subscriber holds.
    expect(snapshot.map((e) => e.keyId)).toContain(changes[1]?.keyId);
    expect(changes[1]?.row).toBeNull();
    expect(leaving).toBeDefined();

    // Revoked: the next batch is not delivered, and the subscription pauses with the code.
    const revoked = await call(steward, 'POST', `/api/v1/grants/${grantId}/revoke`, { reason: '用途已结束' });
    expect(revoked.statusCode, revoked.body).toBe(200);
    await pg.client.query(`UPDATE ${pg.schema}.people SET xm = '赵改' WHERE sfzh = $1`, [fresh]);
    const stop = new AbortController();
    const running = runSourceDelivery(server.query, sourceId, stop.signal);
    const paused = await until('paused', async () => {
      const s = await getSubscription(server.store.db, actor, created.id);
      return s.status === 'paused' && s;
    });
    stop.abort();
    await running;
    expect(paused.reason).toBe('grant_revoked');
    expect(await readEvents(server.store.db, created.id, 0, 1000)).toHaveLength(5);
  });
});
