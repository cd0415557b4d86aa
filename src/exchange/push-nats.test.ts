import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedPeople, subscriptionOptions } from '../../test/support/captured-people.js';
import {
  bearer,
  type Credentials,
  errorCode,
  openTestServer,
  type TestServer,
} from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { SERVICES, serviceAvailable, testOutbound } from '../../test/support/services.js';
import { makeIdNumber, type postgresPeople } from '../../test/support/source-data.js';
import { authenticateApiKey } from '../identity/index.js';
import { openSubscriptionSecret } from '../query/index.js';
import { type ChannelDrivers, channelDrivers } from './channels/drivers.js';
import { eventSubject, streamName } from './channels/nats.js';
import { type DeliveryLoop, startDeliveryLoop } from './delivery-loop.js';
import { type Dispatcher, startDispatcher } from './dispatch.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';
import { getSubscription } from './subscriptions-read.js';

const up = (await serviceAvailable('postgres')) && (await serviceAvailable('nats'));
// A loaded machine (two cores, several suites) may take over a minute to open the store and the world.
const SETUP_MS = 180_000;
const ID_MASK = /^\d{6}\*{8}\d{3}[\dX]$/;

interface Message {
  subject: string;
  headers: Record<string, string>;
  body: {
    subscriptionId: string;
    seq: number;
    eventId: string;
    op: string;
    keyId: string;
    row: Record<string, unknown> | null;
  };
}

describe.skipIf(!up)('push delivery by NATS JetStream: enforced events on the organisation’s stream', () => {
  let server: TestServer;
  let pg: Awaited<ReturnType<typeof postgresPeople>>;
  let steward: Credentials;
  let key: string;
  let actor: Awaited<ReturnType<typeof authenticateApiKey>>;
  let code: string;
  let grantId: string;
  let orgId: string;
  let loop: DeliveryLoop;
  let drivers: ChannelDrivers;
  let dispatcher: Dispatcher;
  let admin: NatsConnection;
  let jsm: JetStreamManager;
  let subscriptionId: string | undefined;
  const errors: unknown[] = [];

  /** Every message of the organisation's stream, read from its start by an ordered consumer. */
  async function messages(): Promise<Message[]> {
    const stream = streamName(orgId);
    const info = await jsm.streams.info(stream).catch(() => undefined);
    if (!info?.state.messages) return [];
    const consumer = await admin.jetstream().consumers.get(stream);
    const out: Message[] = [];
    const fetched = await consumer.fetch({ max_messages: info.state.messages, expires: 5_000 });
    for await (const m of fetched) {
      const headers: Record<string, string> = {};
      for (const k of m.headers?.keys() ?? []) headers[k] = m.headers?.get(k) ?? '';
      out.push({ subject: m.subject, headers, body: m.json() });
      if (out.length === info.state.messages) break;
    }
    return out;
  }
  const atLeast = (n: number) =>
    until(`${n} messages on the stream`, async () => {
      const got = await messages();
      return got.length >= n && got;
    });

  beforeAll(async () => {
    server = await openTestServer('pglite');
    let consumerKey: Awaited<ReturnType<typeof capturedPeople>>['consumerKey'];
    let consumer: Awaited<ReturnType<typeof capturedPeople>>['consumer'];
    ({ pg, steward, consumerKey, consumer, code, grantId } = await capturedPeople(server, 6, [
      { item: '区划', op: 'eq', value: '350102' },
    ]));
    orgId = consumer.id;
    key = consumerKey.key;
    actor = await authenticateApiKey(server.store.db, key);
    admin = await connect({ servers: SERVICES.nats.url });
    jsm = await admin.jetstreamManager();
    loop = startDeliveryLoop(server.query, { tickMs: 200, onError: (_, e) => errors.push(e) });
    drivers = channelDrivers({
      outbound: testOutbound,
      natsUrl: SERVICES.nats.url,
      openSecret: (id, sealed) => openSubscriptionSecret(server.query, id, sealed),
    });
    dispatcher = startDispatcher(server.query, {
      driverFor: drivers.driverFor,
      tickMs: 100,
      random: () => 0,
      onError: (_, e) => errors.push(e),
    });
  }, SETUP_MS);

  afterAll(async () => {
    await dispatcher?.stop();
    await drivers?.close();
    await loop?.stop();
    if (subscriptionId) await deleteSubscription(server.query, actor, subscriptionId);
    if (orgId) await jsm?.streams.delete(streamName(orgId)).catch(() => undefined);
    await admin?.drain();
    await server?.close();
    await pg?.drop();
  }, SETUP_MS);

  it('refuses a NATS subscription when the platform offers no NATS server (409 channel_not_offered)', async () => {
    // The test server has no HUITONG_SUBSCRIPTION_NATS_URL.
    const refused = await server.app.inject({
      method: 'POST',
      url: '/api/v1/subscriptions',
      headers: bearer(key).headers,
      payload: { resourceCode: code, channel: { kind: 'nats' } },
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(errorCode(refused)).toBe('channel_not_offered');
    await expect(
      createSubscription(
        server.query,
        actor,
        { resourceCode: code, channel: { kind: 'nats' } },
        subscriptionOptions,
      ),
    ).rejects.toMatchObject({ code: 'channel_not_offered', status: 409 });
    expect(await server.store.db.selectFrom('subscriptions').select('id').execute()).toEqual([]);
  });

  it('publishes the snapshot and the changes masked and filtered, one message per event, and stops at revocation', async () => {
    const created = await createSubscription(
      server.query,
      actor,
      { resourceCode: code, channel: { kind: 'nats' } },
      { ...subscriptionOptions, natsOffered: true },
    );
    subscriptionId = created.id;
    const subject = eventSubject(orgId, code);
    expect(subject).toBe(`huitong.${orgId}.${code}`);
    expect(created.channel).toEqual({ kind: 'nats', stream: streamName(orgId), subject });
    expect(created.secret).toBeUndefined();

    // The snapshot: the three people of 350102, masked.
    const snapshot = await atLeast(3);
    expect(snapshot).toHaveLength(3);
    for (const m of snapshot) {
      expect(m.body.op).toBe('insert');
      expect(m.body.row?.qh).toBe('350102');
      expect(String(m.body.row?.sfzh)).toMatch(ID_MASK);
    }
    const s = pg.schema;
    // Inside the filter: an insert; outside: nothing.
    await pg.client.query(
      `INSERT INTO ${s}.people VALUES ('赵新', $1, '13800009999', '6222', '良好', '350102')`,
      [makeIdNumber('350102', '19900101', 99)],
    );
    await pg.client.query(
      `INSERT INTO ${s}.people VALUES ('钱外', $1, '13800009998', '6222', '良好', '110105')`,
      [makeIdNumber('110105', '19900101', 98)],
    );
    // 张明 (350102) leaves the filter; 李华 (110105) enters it; 王明 changes inside; 陈明 goes.
    await pg.client.query(`UPDATE ${s}.people SET qh = '110105' WHERE xm = '张明'`);
    await pg.client.query(`UPDATE ${s}.people SET qh = '350102' WHERE xm = '李华'`);
    await pg.client.query(`UPDATE ${s}.people SET xm = '孔明' WHERE xm = '王明'`);
    await pg.client.query(`DELETE FROM ${s}.people WHERE xm = '陈明'`);
    const all = await atLeast(8);
    expect(all).toHaveLength(8);
    const changes = all.slice(3).map((m) => m.body);
    expect(changes.map((e) => e.op)).toEqual(['insert', 'delete', 'insert', 'update', 'delete']);
    expect(changes[0]?.row).toMatchObject({ qh: '350102' });
    expect(String(changes[0]?.row?.sfzh)).toMatch(ID_MASK);
    expect(changes[1]?.row).toBeNull();
    expect(changes[2]?.row).toMatchObject({ qh: '350102' });
    expect(changes[3]?.row).toMatchObject({ qh: '350102', xm: '孔*' });
    expect(changes[4]?.row).toBeNull();
    // The one that left and the one deleted are rows the snapshot had.
    const snapshotKeys = snapshot.map((m) => m.body.keyId);
    expect(snapshotKeys).toContain(changes[1]?.keyId);
    expect(snapshotKeys).toContain(changes[3]?.keyId);
    expect(snapshotKeys).toContain(changes[4]?.keyId);
    // Nothing of what was not granted, nor of the row outside the filter.
    expect(JSON.stringify(all)).not.toContain('钱外');
    expect(JSON.stringify(all)).not.toContain('13800009999');
    for (const m of all) {
      expect(m.subject).toBe(subject);
      expect(m.headers['Nats-Msg-Id']).toBe(m.body.eventId);
      expect(m.body.subscriptionId).toBe(created.id);
    }
    expect(all.map((m) => m.body.seq)).toEqual([...all.map((m) => m.body.seq)].sort((a, b) => a - b));
    const delivered = await until('delivered position', async () => {
      const v = await getSubscription(server.store.db, actor, created.id);
      return v.delivery.lag === 0 && v;
    });
    expect(delivered.delivery.deliveredSeq).toBe(all.at(-1)?.body.seq);

    // Revoked: the subscription pauses with the code, and nothing more is published.
    const revoked = await server.app.inject({
      method: 'POST',
      url: `/api/v1/grants/${grantId}/revoke`,
      headers: steward.headers,
      payload: { reason: '用途已结束' },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    await pg.client.query(`UPDATE ${s}.people SET xm = '赵再' WHERE xm = '赵新'`);
    const paused = await until('paused', async () => {
      const v = await getSubscription(server.store.db, actor, created.id);
      return v.status === 'paused' && v;
    });
    expect(paused.reason).toBe('grant_revoked');
    await dispatcher.tick();
    expect(await messages()).toHaveLength(8);
    expect(errors.map((e) => `${String(e)} ${JSON.stringify((e as { details?: unknown }).details)}`)).toEqual(
      [],
    );
  });
});
