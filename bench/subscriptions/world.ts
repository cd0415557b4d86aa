// The world of bench/subscriptions: one in-process platform (its metadata store on the machine's
// PostgreSQL unless BENCH_STORE=pglite), the capture/delivery loop and the push dispatcher as the
// server runs them, and per figure a source table of people bound to a resource granted to a
// consumer application with three masked items (姓名, 身份证号, 手机号码), 区划 and 提交时间 in the
// clear, under a row filter (区划 = 350102, which every generated row passes).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  channelDrivers,
  createSubscription,
  deleteSubscription,
  startDeliveryLoop,
  startDispatcher,
} from '../../src/exchange/index.js';
import { type Actor, authenticateApiKey } from '../../src/identity/index.js';
import { openSubscriptionSecret } from '../../src/query/index.js';
import { createSource } from '../../src/sources/index.js';
import type { StoreKind } from '../../src/store/index.js';
import {
  buildApiKey,
  buildOrganization,
  buildResource,
  buildUser,
  PERSON_ITEMS,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import { loginAs, openTestServer, type TestServer } from '../../test/support/http.js';
import { SERVICES, testOutbound } from '../../test/support/services.js';

export const STORE = (process.env.BENCH_STORE ?? 'postgres') as StoreKind;
export const REGION = '350102';

/** The columns of a people table, and a generated row `g` as SQL over `generate_series` (g). */
export const PEOPLE_COLUMNS =
  'xm text, sfzh text PRIMARY KEY, sjhm text, yhkh text, jkzk text, qh text, tjsj double precision';
export const PEOPLE_SELECT = `'测试' || g, '350102' || lpad(g::text, 12, '0'), '138' || lpad(g::text, 8, '0'), '6222' || lpad(g::text, 12, '0'), '良好', '${REGION}', extract(epoch from clock_timestamp()) * 1000`;

/** The running platform with delivery. */
export interface World {
  server: TestServer;
  pgc: pg.Client;
  stop(): Promise<void>;
}

/** Opens the platform and starts the delivery loop and the dispatcher with the server's settings. */
export async function openWorld(): Promise<World> {
  const server = await openTestServer(STORE, {
    HUITONG_RATE_LIMIT_PER_IP: '100000000',
    HUITONG_RATE_LIMIT_PER_KEY: '100000000',
  });
  const pgc = new pg.Client({ connectionString: SERVICES.postgres.url });
  await pgc.connect();
  // As src/server/subscriptions.ts runs them, but the loop looks for new subscriptions more often.
  const loop = startDeliveryLoop(server.query, {
    tickMs: 500,
    onError: (sourceId, e) => console.error(`delivery ${sourceId}: ${String(e)}`),
  });
  const drivers = channelDrivers({
    outbound: testOutbound,
    natsUrl: SERVICES.nats.url,
    openSecret: (id, sealed) => openSubscriptionSecret(server.query, id, sealed),
  });
  const dispatcher = startDispatcher(server.query, {
    driverFor: drivers.driverFor,
    tickMs: 500,
    onError: (id, e) => console.error(`push ${id}: ${String(e)}`),
  });
  return {
    server,
    pgc,
    async stop() {
      await dispatcher.stop();
      await drivers.close();
      await loop.stop();
      await server.close();
      await pgc.end();
    },
  };
}

/** A people table with its bound, granted resource, and the consumer application's actor. */
export interface Granted {
  schema: string;
  code: string;
  orgId: string;
  actor: Actor;
  subscribe(channel: object): Promise<{ id: string; secret?: string }>;
  unsubscribe(id: string): Promise<void>;
  drop(): Promise<void>;
}

/** Creates `schema.people` with `rows` rows, binds it to a new resource and grants it (three masks, a row filter). */
export async function grantedPeople(world: World, rows: number): Promise<Granted> {
  const { server, pgc } = world;
  const db = server.store.db;
  const schema = `bench_sub_${randomBytes(4).toString('hex')}`;
  await pgc.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.people (${PEOPLE_COLUMNS})`);
  if (rows > 0)
    await pgc.query(
      `INSERT INTO ${schema}.people SELECT ${PEOPLE_SELECT} FROM generate_series(1, ${rows}) g`,
    );
  const police = await buildOrganization(db, { name: `公安厅-${schema}` });
  const consumer = await buildOrganization(db, { name: `人社厅-${schema}` });
  const login = async (orgId: string, role: 'data_steward' | 'analyst') =>
    loginAs(server.app, (await buildUser(db, { orgId, roles: [role] })).username, TEST_PASSWORD);
  const steward = await login(police.id, 'data_steward');
  const analyst = await login(consumer.id, 'analyst');
  const key = await buildApiKey(db, consumer.id);
  const call = async (
    as: { headers: Record<string, string> },
    method: 'PUT' | 'POST',
    url: string,
    payload: object,
  ) => {
    const r = await server.app.inject({ method, url, headers: as.headers, payload });
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const source = await createSource(db, server.sources, {
    kind: 'postgres',
    name: `人口库-${schema}`,
    database: 'test',
    orgId: police.id,
    host: SERVICES.postgres.host,
    port: SERVICES.postgres.port,
    user: 'postgres',
    tls: { mode: 'disable' },
    description: '',
  });
  const { code } = await buildResource(
    db,
    police.id,
    {
      items: [...PERSON_ITEMS, { name: '提交时间', field: 'tjsj', dataType: 'number' }],
      sharingType: 'conditional',
      sharingMethods: ['api'],
      sharingConditions: '用于政务服务',
    },
    { publish: true },
  );
  await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
    sourceId: source.id,
    from: { kind: 'table', schema, table: 'people' },
  });
  const items = ['姓名', '身份证号', '手机号码', '区划', '提交时间'];
  const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
    applicationId: key.application.id,
    resourceCode: code,
    items,
    purpose: '社保待遇资格认证',
    legalBasis: '《社会保险法》',
    validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  await call(steward, 'POST', `/api/v1/access-requests/${requested.id}/approve`, {
    items: items.map((name) => ({ name })),
    rowFilter: [{ item: '区划', op: 'eq', value: REGION }],
  });
  const actor = await authenticateApiKey(db, key.key);
  const live = new Set<string>();
  return {
    schema,
    code,
    orgId: consumer.id,
    actor,
    subscribe: async (channel) => {
      const sub = await createSubscription(
        server.query,
        actor,
        { resourceCode: code, channel } as Parameters<typeof createSubscription>[2],
        { outbound: testOutbound, natsOffered: true },
      );
      live.add(sub.id);
      return sub;
    },
    unsubscribe: async (id) => {
      live.delete(id);
      try {
        await deleteSubscription(server.query, actor, id);
      } catch {
        // The row is gone but its slot was still streamed by the delivery loop (it stops at its
        // next tick): the slot and publication are dropped here once the loop has let go.
        const slot = `huitong_${source.id.replace(/[^0-9a-f]/gi, '').toLowerCase()}`;
        for (let attempt = 0; attempt < 40; attempt++) {
          await new Promise((r) => setTimeout(r, 500));
          const gone = await pgc
            .query(
              `SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1`,
              [slot],
            )
            .then(
              () => true,
              () => false,
            );
          if (gone) break;
        }
        await pgc.query(`DROP PUBLICATION IF EXISTS ${slot}`);
      }
    },
    drop: async () => {
      // A run that failed leaves its subscription: deleting it drops its slot.
      for (const id of [...live]) await deleteSubscription(server.query, actor, id).catch(() => undefined);
      await pgc.query(`DROP SCHEMA ${schema} CASCADE`);
    },
  };
}
