// The fixtures of the authorisation matrix: organisation A owns everything (an application and its
// keys, a source on PostgreSQL, resources bound to it, access requests and grants of its resources
// to a consumer C, a notification); B is another organisation with the same roles; the platform
// officers belong to neither. Objects a route destroys are made afresh for each call.
import { randomBytes, randomUUID } from 'node:crypto';
import { requestPublish } from '../../src/catalog/index.js';
import { assignDemand, createDemand } from '../../src/governance/index.js';
import { type Actor, authenticateApiKey, type Role, type UserView } from '../../src/identity/index.js';
import { dropCapture } from '../../src/query/index.js';
import { approveAccessRequest, createAccessRequest } from '../../src/sharing/index.js';
import { notify } from '../../src/sharing/notifications.js';
import { createSource } from '../../src/sources/index.js';
import {
  buildApiKey,
  buildOrganization,
  buildResource,
  buildSharedResource,
  buildUser,
  TEST_PASSWORD,
} from '../support/factories.js';
import { bearer, type Credentials, loginAs, type TestServer } from '../support/http.js';
import { SERVICES } from '../support/services.js';
import { postgresPeople } from '../support/source-data.js';

/** The callers of the matrix, in the order of its rows' letters. */
export const PERSONAS = [
  'anonymous',
  'platform_admin',
  'security_officer',
  'auditor',
  'org_admin',
  'org_admin~',
  'data_steward',
  'data_steward~',
  'analyst',
  'analyst~',
  'key',
] as const;
/** A caller: a role of organisation A, the same role of B (`~`), a platform officer, A's analyst key, or nobody. */
export type Persona = (typeof PERSONAS)[number];

const suffix = () => randomBytes(4).toString('hex');

/** Builds the world of the matrix on `server`; needs PostgreSQL for the source the resources are bound to. */
export async function buildMatrixWorld(server: TestServer) {
  const db = server.store.db;
  const pg = await postgresPeople(4);
  const orgA = await buildOrganization(db, { name: `矩阵单位A-${suffix()}` });
  const orgB = await buildOrganization(db, { name: `矩阵单位B-${suffix()}` });
  const orgC = await buildOrganization(db, { name: `矩阵使用方C-${suffix()}` });
  const users = new Map<Persona, UserView>();
  const user = async (persona: Persona, orgId: string, role: Role) =>
    users.set(persona, await buildUser(db, { orgId, roles: [role] }));
  await user('platform_admin', (await buildOrganization(db)).id, 'platform_admin');
  await user('auditor', (await buildOrganization(db)).id, 'auditor');
  await user('security_officer', orgA.id, 'security_officer');
  for (const role of ['org_admin', 'data_steward', 'analyst'] as const) {
    await user(role, orgA.id, role);
    await user(`${role}~`, orgB.id, role);
  }
  const consumerAnalyst = await buildUser(db, { orgId: orgC.id, roles: ['analyst'] });
  const consumerKey = await buildApiKey(db, orgC.id);
  const appKey = await buildApiKey(db, orgA.id, ['analyst']);

  const login = async (persona: Persona): Promise<Credentials> => {
    if (persona === 'anonymous') return { headers: {} };
    if (persona === 'key') return bearer(appKey.key);
    return loginAs(server.app, users.get(persona)!.username, TEST_PASSWORD);
  };
  const credentials = new Map<Persona, Credentials>();
  for (const persona of PERSONAS) credentials.set(persona, await login(persona));

  const source = await createSource(db, server.sources, {
    kind: 'postgres',
    name: `矩阵源-${suffix()}`,
    database: 'test',
    orgId: orgA.id,
    host: SERVICES.postgres.host,
    port: SERVICES.postgres.port,
    user: 'postgres',
    tls: { mode: 'disable' },
    description: '',
  });
  const from = { kind: 'table' as const, schema: pg.schema, table: 'people' };
  const steward = credentials.get('data_steward')!;
  const bound = async (overrides: Parameters<typeof buildSharedResource>[2] = {}) => {
    const resource = await buildSharedResource(db, orgA.id, { sharingType: 'conditional', ...overrides });
    const response = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${resource.code}/binding`,
      headers: steward.headers,
      payload: { sourceId: source.id, from },
    });
    if (response.statusCode !== 200) throw new Error(`binding: ${response.body}`);
    return resource.code;
  };
  const resource = await bound({ openType: 'conditional' });
  // The data routes read a resource that is neither open nor granted to anyone here.
  const dataResource = await bound({ sharingMethods: ['api', 'verification'] });
  const actorOf = (u: UserView): Actor => ({
    kind: 'user',
    userId: u.id,
    orgId: u.orgId,
    username: u.username,
    roles: u.roles,
  });
  const newRequest = () =>
    createAccessRequest(db, actorOf(consumerAnalyst), {
      applicationId: consumerKey.application.id,
      resourceCode: resource,
      items: ['姓名', '区划'],
      purpose: '矩阵测试',
      legalBasis: '测试依据',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
  const newGrant = async () => {
    const request = await newRequest();
    const { grant } = await approveAccessRequest(db, actorOf(users.get('data_steward')!), request.id, {});
    return grant!.id;
  };
  const grant = await newGrant();
  const request = (await newRequest()).id;
  // An application holds at most HUITONG_MAX_KEYS_PER_APPLICATION live keys, and the key routes
  // mint one per caller: the world revokes the keys it minted (all but A's own) before each new one.
  const spareKeys = async () => {
    await db
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('application_id', '=', appKey.application.id)
      .where('id', '!=', appKey.apiKey.id)
      .where('revoked_at', 'is', null)
      .execute();
  };
  const newKey = async () => {
    await spareKeys();
    const response = await server.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${appKey.application.id}/keys`,
      headers: credentials.get('org_admin')!.headers,
      payload: { name: `k-${suffix()}` },
    });
    if (response.statusCode !== 201) throw new Error(`new key: ${response.body}`);
    return response.json().apiKey.id as string;
  };
  const newNotification = async () => {
    await notify(db, { orgId: orgA.id, role: 'analyst' }, { kind: 'matrix', title: '矩阵测试', body: '' });
    const row = await db
      .selectFrom('notifications')
      .select('id')
      .where('kind', '=', 'matrix')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const newSource = async () =>
    (
      await createSource(db, server.sources, {
        kind: 'postgres',
        name: `矩阵源-${suffix()}`,
        database: 'test',
        orgId: orgA.id,
        host: SERVICES.postgres.host,
        port: SERVICES.postgres.port,
        user: 'postgres',
        tls: { mode: 'disable' },
        description: '',
      })
    ).id;
  // A sandbox answer (可用不可见) of B's analyst over A's resource, held for A's stewards: made
  // afresh for each call, since a decision is final.
  const newReleaseReview = async () => {
    const id = randomUUID();
    await db
      .insertInto('release_reviews')
      .values({
        id,
        provider_id: orgA.id,
        consumer_org_id: orgB.id,
        requester: `user:${users.get('analyst~')!.id}`,
        resources: JSON.stringify([dataResource]),
        grant_ids: JSON.stringify([]),
        sql: `SELECT max(qh) FROM "${dataResource}"`,
        aliases: JSON.stringify({}),
        columns: JSON.stringify([{ name: 'max(qh)', type: 'string' }]),
        rows: JSON.stringify([['350102']]),
        report: JSON.stringify({
          outcome: 'held_for_review',
          minGroupSize: 10,
          checks: [],
          suppressedRows: 0,
        }),
        status: 'pending',
      })
      .execute();
    return id;
  };
  const newDraft = async () => (await buildResource(db, orgA.id)).code;
  // A draft of A submitted for catalog review by A's steward: made afresh for each call, since a
  // decision (or withdrawal) is final.
  const newCatalogChange = async () => {
    const outcome = await requestPublish(db, actorOf(users.get('data_steward')!), await newDraft(), {
      review: true,
      notify: async () => {},
    });
    if (!('pending' in outcome)) throw new Error('the change was applied at once');
    return outcome.pending.id;
  };
  // A demand (需求) posted by A's analyst; `assigned`: assigned to A by the platform administrator.
  const personActor = (persona: Persona): Actor => {
    const u = users.get(persona)!;
    return { kind: 'user', userId: u.id, orgId: u.orgId, username: u.username, roles: u.roles };
  };
  const newDemand = async (assigned = false) => {
    const demand = await createDemand(db, personActor('analyst'), {
      title: `矩阵需求-${suffix()}`,
      description: '矩阵测试',
      purpose: '矩阵测试',
      legalBasis: '矩阵测试',
      items: [{ name: '区划' }],
    });
    if (assigned) await assignDemand(db, personActor('platform_admin'), demand.id, { orgId: orgA.id });
    return demand.id;
  };
  let overrides = 0;
  const newPublished = async () => (await buildResource(db, orgA.id, {}, { publish: true })).code;

  return {
    orgA,
    orgB,
    users,
    credentials,
    login,
    application: appKey.application.id,
    source: source.id,
    from,
    resource,
    dataResource,
    grant,
    request,
    newRequest: async () => (await newRequest()).id,
    newGrant,
    newKey,
    spareKeys,
    newNotification,
    newSource,
    newDraft,
    newCatalogChange,
    newPublished,
    newBound: () => bound(),
    newReleaseReview,
    /**
     * A subscription of A's key to the data resource, stored as created (no capture is prepared:
     * the matrix asks who may see and change it; the HTTP and exchange tests create real ones).
     */
    newSubscription: async () => {
      const id = randomUUID();
      const now = new Date();
      const resourceRow = await db
        .selectFrom('resources')
        .select('id')
        .where('code', '=', dataResource)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('subscriptions')
        .values({
          id,
          org_id: orgA.id,
          application_id: appKey.application.id,
          actor: JSON.stringify(await authenticateApiKey(db, appKey.key)),
          resource_id: resourceRow.id,
          resource_code: dataResource,
          source_id: source.id,
          fields: null,
          filter: JSON.stringify([]),
          channel: JSON.stringify({ kind: 'pull' }),
          status: 'active',
          reason: null,
          created_by: appKey.application.id,
          created_at: now,
          updated_at: now,
          last_delivery_at: null,
        })
        .execute();
      return id;
    },
    /** A's key's delivery schedule of the data resource (a CSV file at 02:00): a fresh one each time. */
    newDeliverySchedule: async () => {
      const id = randomUUID();
      await db
        .insertInto('delivery_schedules')
        .values({
          id,
          org_id: orgA.id,
          application_id: appKey.application.id,
          actor: JSON.stringify(await authenticateApiKey(db, appKey.key)),
          resource_code: dataResource,
          fields: null,
          filter: JSON.stringify([]),
          cron: '0 2 * * *',
          timezone: 'Asia/Shanghai',
          target: JSON.stringify({ kind: 'file', format: 'csv' }),
          secret: null,
          status: 'active',
          next_run_at: new Date(Date.now() + 86_400_000),
          created_at: new Date(),
        })
        .execute();
      return id;
    },
    /** An objection of B against A's resource, in a state (异议处理): a fresh one each time. */
    newObjection: async (status: 'open' | 'corrected' = 'open') => {
      const id = randomUUID();
      const now = new Date();
      await db
        .insertInto('objections')
        .values({
          id,
          resource_id: randomUUID(),
          resource_code: resource,
          resource_name: '矩阵资源',
          provider_id: orgA.id,
          consumer_id: orgB.id,
          raised_by: users.get('analyst~')!.id,
          key_column: 'qh',
          row_keys: JSON.stringify(['350102']),
          items: JSON.stringify(['区划']),
          description: '矩阵测试',
          expected: '矩阵测试',
          evidence: '',
          status,
          created_at: now,
          filed_at: now,
          answered_at: status === 'open' ? null : now,
          closed_at: null,
          updated_at: now,
          history: JSON.stringify([]),
        })
        .execute();
      return id;
    },
    newDemand,
    /** An open early-warning alert (安全预警): a fresh one each time. */
    newAlert: async () => {
      const id = randomUUID();
      const now = new Date();
      await db
        .insertInto('warning_alerts')
        .values({
          id,
          rule: 'brute_force',
          severity: 'high',
          subject: `address:matrix-${id}`,
          subject_org_id: null,
          summary: '矩阵测试',
          details: JSON.stringify({}),
          status: 'open',
          count: 1,
          entries: JSON.stringify([0]),
          first_index: 0,
          last_index: 0,
          first_seen: now,
          last_seen: now,
          assignee_id: null,
          acknowledged_by: null,
          acknowledged_at: null,
          resolved_by: null,
          resolved_at: null,
          note: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      return id;
    },
    /** The consumer application as the volume baselines count it, with one hour of releases. */
    countedConsumer: async () => {
      const consumer = `application:${consumerKey.application.id}`;
      await db
        .insertInto('warning_volumes')
        .values({ consumer, hour: new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000), releases: 3 })
        .onConflict((oc) => oc.columns(['consumer', 'hour']).doNothing())
        .execute();
      return consumer;
    },
    /** The consumer application whose requests the matrix files (its risk score). */
    consumerApplicationId: consumerKey.application.id,
    /** The security officer's user id (an alert's assignee). */
    officerId: users.get('security_officer')!.id,
    /** A calendar override to remove: a fresh day each time. */
    newOverride: async () => {
      const day = `2040-${String(1 + (overrides % 12)).padStart(2, '0')}-${String(1 + Math.floor(overrides++ / 12)).padStart(2, '0')}`;
      await db
        .insertInto('calendar_overrides')
        .values({ day, kind: 'holiday', reason: '矩阵测试', set_by: users.get('platform_admin')!.id })
        .onConflict((oc) => oc.doNothing())
        .execute();
      return day;
    },
    /** Drops what deleting a subscription prepared at the source (slot, publication), then the tables; before the server closes. */
    close: async () => {
      await dropCapture(server.query, source.id);
      await pg.drop();
    },
  };
}

/** The world of the matrix. */
export type MatrixWorld = Awaited<ReturnType<typeof buildMatrixWorld>>;
