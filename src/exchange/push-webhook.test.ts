import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
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
import { serviceAvailable, testOutbound } from '../../test/support/services.js';
import { makeIdNumber, type postgresPeople } from '../../test/support/source-data.js';
import { authenticateApiKey } from '../identity/index.js';
import { openSubscriptionSecret } from '../query/index.js';
import { channelDrivers } from './channels/drivers.js';
import { type DeliveryLoop, startDeliveryLoop } from './delivery-loop.js';
import { type Dispatcher, startDispatcher } from './dispatch.js';
import { createSubscription, deleteSubscription } from './subscriptions.js';
import { getSubscription } from './subscriptions-read.js';

const up = await serviceAvailable('postgres');
const ID_MASK = /^\d{6}\*{8}\d{3}[\dX]$/;

interface Received {
  id: string;
  body: {
    snapshot: boolean;
    events: Array<{ eventId: string; op: string; keyId: string; row: Record<string, unknown> | null }>;
  };
}

// A real receiver: it verifies every request's Standard Webhooks signature with the secret the
// subscription was created with, and answers what the test says (200, or 500 while "down").
function receiver() {
  const got: Received[] = [];
  const state = { status: 200, secret: '' };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (state.status !== 200) {
        res.writeHead(state.status).end();
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      new Webhook(state.secret).verify(raw, headers);
      got.push({ id: headers['webhook-id'] as string, body: JSON.parse(raw) });
      res.writeHead(204).end();
    });
  });
  return { server, got, state };
}

describe.skipIf(!up)('push delivery by webhook: signed, enforced, retried, dead-lettered, replayed', () => {
  let server: TestServer;
  let pg: Awaited<ReturnType<typeof postgresPeople>>;
  let steward: Credentials;
  let key: string;
  let actor: Awaited<ReturnType<typeof authenticateApiKey>>;
  let code: string;
  let grantId: string;
  let loop: DeliveryLoop;
  let dispatcher: Dispatcher;
  const hook = receiver();
  let subscriptionId: string | undefined;
  const errors: unknown[] = [];

  const events = () => hook.got.flatMap((r) => r.body.events);

  beforeAll(async () => {
    server = await openTestServer('pglite');
    let consumerKey: Awaited<ReturnType<typeof capturedPeople>>['consumerKey'];
    ({ pg, steward, consumerKey, code, grantId } = await capturedPeople(server, 6, [
      { item: '区划', op: 'eq', value: '350102' },
    ]));
    key = consumerKey.key;
    actor = await authenticateApiKey(server.store.db, key);
    await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
    loop = startDeliveryLoop(server.query, { tickMs: 200, onError: (_, e) => errors.push(e) });
    const drivers = channelDrivers({
      outbound: testOutbound,
      openSecret: (id, sealed) => openSubscriptionSecret(server.query, id, sealed),
    });
    dispatcher = startDispatcher(server.query, {
      driverFor: drivers.driverFor,
      tickMs: 100,
      deadLetterAfterMs: 1500,
      // The retries come quickly here: the least delay.
      random: () => 0,
      onError: () => undefined,
    });
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await loop?.stop();
    if (subscriptionId) await deleteSubscription(server.query, actor, subscriptionId).catch(() => undefined);
    await new Promise((resolve) => hook.server.close(resolve));
    await server?.close();
    await pg?.drop();
  });

  it('sends the snapshot and the changes signed and masked, retries a failing endpoint, parks and replays a dead letter, and stops at revocation', async () => {
    const port = (hook.server.address() as AddressInfo).port;
    const created = await createSubscription(
      server.query,
      actor,
      { resourceCode: code, channel: { kind: 'webhook', url: `http://127.0.0.1:${port}/hooks/people` } },
      subscriptionOptions,
    );
    subscriptionId = created.id;
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.channel).toEqual({ kind: 'webhook', url: `http://127.0.0.1:${port}/hooks/people` });
    hook.state.secret = created.secret as string;
    // The secret is shown once: reading the subscription again never shows it.
    expect((await getSubscription(server.store.db, actor, created.id)).secret).toBeUndefined();

    // The snapshot arrives as one signed batch, masked and filtered.
    await until('snapshot pushed', () => events().length >= 3);
    expect(hook.got[0]?.body.snapshot).toBe(true);
    for (const e of events()) {
      expect(e.op).toBe('insert');
      expect(e.row?.qh).toBe('350102');
      expect(String(e.row?.sfzh)).toMatch(ID_MASK);
    }

    // A change inside the filter is pushed as an insert; one outside is not pushed at all.
    await pg.client.query(
      `INSERT INTO ${pg.schema}.people VALUES ('赵新', $1, '13800009999', '6222', '良好', '350102')`,
      [makeIdNumber('350102', '19900101', 99)],
    );
    await pg.client.query(
      `INSERT INTO ${pg.schema}.people VALUES ('钱外', $1, '13800009998', '6222', '良好', '110105')`,
      [makeIdNumber('110105', '19900101', 98)],
    );
    await until('change pushed', () => events().length >= 4);
    expect(events()[3]?.op).toBe('insert');
    expect(hook.got.at(-1)?.body.snapshot).toBe(false);

    // The endpoint fails: the batch is retried, then parked as a dead letter after the window.
    hook.state.status = 500;
    await pg.client.query(
      `INSERT INTO ${pg.schema}.people VALUES ('孙败', $1, '13800009997', '6222', '良好', '350102')`,
      [makeIdNumber('350102', '19900101', 97)],
    );
    const failing = await until('retrying', async () => {
      const s = await getSubscription(server.store.db, actor, created.id);
      return s.delivery.attempts >= 2 && s;
    });
    expect(failing.delivery.lastError).toBe('webhook_status_500');
    expect(failing.status).toBe('active');
    const consumer = bearer(key);
    const parked = await until('dead-lettered', async () => {
      const r = await server.app.inject({
        method: 'GET',
        url: `/api/v1/subscriptions/${created.id}/dead-letters`,
        headers: consumer.headers,
      });
      return r.json().items.length === 1 && r.json().items[0];
    });
    expect(parked).toMatchObject({ events: 1, error: 'webhook_status_500', replayedAt: null });
    expect(events()).toHaveLength(4);

    // Back up: the next change flows, and the dead letter is replayed with its original event id.
    hook.state.status = 200;
    await pg.client.query(`UPDATE ${pg.schema}.people SET xm = '赵改' WHERE xm = '赵新'`);
    await until('flowing again', () => events().length >= 5);
    expect(events()[4]?.op).toBe('update');
    const replay = await server.app.inject({
      method: 'POST',
      url: `/api/v1/subscriptions/${created.id}/dead-letters/${parked.id}/replay`,
      headers: consumer.headers,
    });
    expect(replay.statusCode, replay.body).toBe(200);
    expect(replay.json().replayedAt).not.toBeNull();
    expect(events()).toHaveLength(6);
    expect(events()[5]?.op).toBe('insert');
    const again = await server.app.inject({
      method: 'POST',
      url: `/api/v1/subscriptions/${created.id}/dead-letters/${parked.id}/replay`,
      headers: consumer.headers,
    });
    expect(errorCode(again)).toBe('dead_letter_replayed');

    // Every pushed batch was a release entry first: the subscription's query, its bytes' digest.
    const pushed = (await server.store.db.selectFrom('audit_entries').select('entry').execute())
      .map((r) => JSON.parse(Buffer.from(r.entry).toString('utf8')))
      .filter(
        (e) =>
          e.type === 'data.release.start' &&
          JSON.stringify(e.data).includes(`subscription ${created.id} events after`),
      );
    // Snapshot, first change, three failed attempts at least, the update, the replay.
    expect(pushed.length).toBeGreaterThanOrEqual(5);

    // Revoked: nothing more leaves, and the subscription pauses with the code.
    const revoked = await server.app.inject({
      method: 'POST',
      url: `/api/v1/grants/${grantId}/revoke`,
      headers: steward.headers,
      payload: { reason: '用途已结束' },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    await pg.client.query(`UPDATE ${pg.schema}.people SET xm = '赵再' WHERE xm = '赵改'`);
    const paused = await until('paused', async () => {
      const s = await getSubscription(server.store.db, actor, created.id);
      return s.status === 'paused' && s;
    });
    expect(paused.reason).toBe('grant_revoked');
    expect(events()).toHaveLength(6);
    expect(
      errors.map(
        (e) =>
          `${String(e)} ${JSON.stringify((e as { logDetails?: unknown }).logDetails)} ${(e as Error).stack}`,
      ),
    ).toEqual([]);
  });
});
