import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildSharedResource,
  buildSharingOrgs,
  ORG_ROLES,
  TEST_PASSWORD,
} from '../../../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../../test/support/http.js';
import { describeEachStore } from '../../../../test/support/store.js';
import type { ResourceView } from '../../../catalog/index.js';
import type { Actor, UserView } from '../../../identity/index.js';
import { approveAccessRequest, changeGrantStatus, createAccessRequest } from '../../../sharing/index.js';
import { notify } from '../../../sharing/notifications.js';

// The authorisation matrix of every sharing route: role × action × own / other organisation /
// anonymous. The routes come from the route table, so a new sharing route without an entry
// here fails the first test.

type Side = 'provider' | 'consumer' | 'other';
type OrgRole = (typeof ORG_ROLES)[number];
type Who = `${Side}.${OrgRole}` | 'platform_admin' | 'auditor' | 'key' | 'anonymous';

/** Expected status per caller: `ok` for the listed roles of a side, the side's refusal otherwise. */
interface Expectation {
  ok: number;
  provider?: OrgRole[];
  consumer?: OrgRole[];
  other?: OrgRole[];
  /** Refusals of the unlisted roles, per side (default 403 for provider and consumer, 404 for other). */
  refuse?: Partial<Record<Side, number>>;
  key: number;
  /** The platform administrator and the auditor, who belong to neither side. */
  outsiders: number;
  anonymous?: number;
}

function expected(e: Expectation, who: Who): number {
  if (who === 'anonymous') return e.anonymous ?? 401;
  if (who === 'key') return e.key;
  if (who === 'platform_admin' || who === 'auditor') return e.outsiders;
  const [side, role] = who.split('.') as [Side, OrgRole];
  if ((e[side] ?? []).includes(role)) return e.ok;
  return e.refuse?.[side] ?? (side === 'other' ? 404 : 403);
}

const ALL: OrgRole[] = [...ORG_ROLES];
const SHARING_URL =
  /^\/api\/v1\/(access-requests|grants|usage|notifications)|\/(licence-acceptance|open-release)$/;

describeEachStore('sharing authorisation matrix', (kind) => {
  let server: TestServer;
  let world: Awaited<ReturnType<typeof buildSharingOrgs>>;
  let resource: ResourceView;
  let openResource: ResourceView;
  const creds = new Map<Who, Credentials>();
  const actorOf = (u: UserView): Actor => ({
    kind: 'user',
    userId: u.id,
    orgId: u.orgId,
    username: u.username,
    roles: u.roles,
  });

  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    world = await buildSharingOrgs(db);
    for (const side of ['provider', 'consumer', 'other'] as const) {
      for (const role of ORG_ROLES) {
        creds.set(
          `${side}.${role}`,
          await loginAs(server.app, world[side].users[role].username, TEST_PASSWORD),
        );
      }
    }
    creds.set('platform_admin', await loginAs(server.app, world.platformAdmin.username, TEST_PASSWORD));
    creds.set('auditor', await loginAs(server.app, world.auditor.username, TEST_PASSWORD));
    creds.set('key', bearer(world.key.key));
    resource = await buildSharedResource(db, world.provider.org.id, { sharingType: 'conditional' });
    openResource = await buildSharedResource(db, world.provider.org.id, {
      sharingType: 'conditional',
      openType: 'conditional',
    });
  });
  afterAll(() => server.close());

  const newRequest = () =>
    createAccessRequest(server.store.db, actorOf(world.consumer.users.analyst), {
      applicationId: world.key.application.id,
      resourceCode: resource.code,
      items: ['姓名', '区划'],
      purpose: '矩阵测试',
      legalBasis: '测试依据',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
  const newGrant = async (suspended = false) => {
    const request = await newRequest();
    const steward = actorOf(world.provider.users.data_steward);
    const { grant } = await approveAccessRequest(server.store.db, steward, request.id, {});
    if (suspended) await changeGrantStatus(server.store.db, steward, grant!.id, 'suspend');
    return grant!;
  };
  // A statistics grant (统计用途), whose ε budget the provider's steward may lower.
  const newStatisticsGrant = async () => {
    const request = await createAccessRequest(server.store.db, actorOf(world.consumer.users.analyst), {
      applicationId: world.key.application.id,
      resourceCode: resource.code,
      items: ['区划'],
      purpose: '矩阵测试',
      legalBasis: '测试依据',
      use: 'statistics',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const steward = actorOf(world.provider.users.data_steward);
    const { grant } = await approveAccessRequest(server.store.db, steward, request.id, {
      privacyBudget: { epsilonPerDay: 1, epsilonTotal: 10 },
    });
    return grant!;
  };
  const sameGrant = (() => {
    let grant: Promise<{ id: string }> | undefined;
    return () => {
      grant ??= newGrant();
      return grant;
    };
  })();

  type Setup = () => Promise<{ url: string; body?: unknown }>;
  const grantChange = (action: string, suspended = false): [Setup, Expectation] => [
    async () => ({ url: `/api/v1/grants/${(await newGrant(suspended)).id}/${action}`, body: {} }),
    { ok: 200, provider: ['data_steward', 'security_officer'], key: 403, outsiders: 404 },
  ];
  const grantRead = (suffix: string): [Setup, Expectation] => [
    async () => ({ url: `/api/v1/grants/${(await sameGrant()).id}${suffix}` }),
    { ok: 200, provider: ALL, consumer: ALL, key: 200, outsiders: 404 },
  ];
  const decision = (action: string, body: unknown): [Setup, Expectation] => [
    async () => ({ url: `/api/v1/access-requests/${(await newRequest()).id}/${action}`, body }),
    { ok: 200, provider: ['data_steward'], key: 403, outsiders: 404 },
  ];

  const MATRIX: Record<string, [Setup, Expectation]> = {
    'POST /api/v1/access-requests': [
      async () => ({
        url: '/api/v1/access-requests',
        body: {
          applicationId: world.key.application.id,
          resourceCode: resource.code,
          items: ['区划'],
          purpose: '矩阵测试',
          legalBasis: '测试依据',
          validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        },
      }),
      { ok: 201, consumer: ['analyst'], refuse: { provider: 404 }, key: 403, outsiders: 404 },
    ],
    'GET /api/v1/access-requests': [
      async () => ({ url: '/api/v1/access-requests' }),
      {
        ok: 200,
        provider: ['org_admin', 'data_steward', 'analyst'],
        consumer: ['org_admin', 'data_steward', 'analyst'],
        other: ['org_admin', 'data_steward', 'analyst'],
        refuse: { other: 403 },
        key: 403,
        outsiders: 403,
      },
    ],
    // Counts and durations only: every signed-in caller, keys included.
    'GET /api/v1/access-requests/stats': [
      async () => ({ url: '/api/v1/access-requests/stats' }),
      { ok: 200, provider: ALL, consumer: ALL, other: ALL, key: 200, outsiders: 200 },
    ],
    'GET /api/v1/access-requests/:id': [
      async () => ({ url: `/api/v1/access-requests/${(await newRequest()).id}` }),
      {
        ok: 200,
        provider: ['org_admin', 'data_steward', 'security_officer'],
        consumer: ['org_admin', 'data_steward', 'analyst'],
        key: 403,
        outsiders: 404,
      },
    ],
    'POST /api/v1/access-requests/:id/withdraw': [
      async () => ({ url: `/api/v1/access-requests/${(await newRequest()).id}/withdraw`, body: {} }),
      { ok: 200, consumer: ['org_admin', 'analyst'], key: 403, outsiders: 404 },
    ],
    'POST /api/v1/access-requests/:id/approve': decision('approve', {}),
    'POST /api/v1/access-requests/:id/reject': decision('reject', { reason: 'other', text: '矩阵测试' }),
    'GET /api/v1/grants': [
      async () => ({ url: '/api/v1/grants' }),
      { ok: 200, provider: ALL, consumer: ALL, other: ALL, key: 200, outsiders: 403 },
    ],
    'GET /api/v1/grants/:id': grantRead(''),
    'GET /api/v1/grants/:id.jsonld': grantRead('.jsonld'),
    'GET /api/v1/grants/:id/usage': grantRead('/usage'),
    'GET /api/v1/grants/:id/privacy-budget': grantRead('/privacy-budget'),
    'PUT /api/v1/grants/:id/privacy-budget': [
      async () => ({
        url: `/api/v1/grants/${(await newStatisticsGrant()).id}/privacy-budget`,
        body: { epsilonPerDay: 0.5, epsilonTotal: 5 },
      }),
      { ok: 200, provider: ['data_steward', 'security_officer'], key: 403, outsiders: 404 },
    ],
    'POST /api/v1/grants/:id/suspend': grantChange('suspend'),
    'POST /api/v1/grants/:id/resume': grantChange('resume', true),
    'POST /api/v1/grants/:id/revoke': grantChange('revoke'),
    'GET /api/v1/usage': [
      async () => ({ url: '/api/v1/usage?side=provider' }),
      { ok: 200, provider: ALL, consumer: ALL, other: ALL, key: 200, outsiders: 403 },
    ],
    'GET /api/v1/notifications': [
      async () => ({ url: '/api/v1/notifications' }),
      { ok: 200, provider: ALL, consumer: ALL, other: ALL, key: 200, outsiders: 200 },
    ],
    'POST /api/v1/notifications/:id/read': [
      async () => {
        await notify(
          server.store.db,
          { orgId: world.consumer.org.id, role: 'analyst' },
          { kind: 'test', title: '矩阵测试', body: '' },
        );
        const row = await server.store.db
          .selectFrom('notifications')
          .select('id')
          .where('kind', '=', 'test')
          .orderBy('created_at', 'desc')
          .executeTakeFirstOrThrow();
        return { url: `/api/v1/notifications/${row.id}/read`, body: {} };
      },
      { ok: 200, consumer: ['analyst'], refuse: { provider: 404, consumer: 404 }, key: 200, outsiders: 404 },
    ],
    'POST /api/v1/resources/:code/licence-acceptance': [
      async () => ({ url: `/api/v1/resources/${openResource.code}/licence-acceptance`, body: {} }),
      { ok: 200, provider: ALL, consumer: ALL, other: ALL, key: 200, outsiders: 200 },
    ],
    'GET /api/v1/resources/:code/open-release': [
      async () => ({ url: `/api/v1/resources/${openResource.code}/open-release` }),
      { ok: 200, provider: ALL, consumer: ALL, other: ALL, key: 200, outsiders: 200, anonymous: 200 },
    ],
    'PUT /api/v1/resources/:code/open-release': [
      async () => ({ url: `/api/v1/resources/${openResource.code}/open-release`, body: { items: [] } }),
      {
        ok: 200,
        provider: ['org_admin', 'data_steward'],
        refuse: { consumer: 404 },
        key: 404,
        outsiders: 404,
      },
    ],
  };

  const sharingRoutes = () =>
    server.app.routeTable.filter((r) => SHARING_URL.test(r.url)).map((r) => `${r.method} ${r.url}`);

  it('has an entry for every sharing route', () => {
    const routes = sharingRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(19);
    for (const route of routes) expect(MATRIX[route], route).toBeDefined();
  });

  const WHO: Who[] = [
    ...(['provider', 'consumer', 'other'] as const).flatMap((side) =>
      ORG_ROLES.map((role) => `${side}.${role}` as Who),
    ),
    'platform_admin',
    'auditor',
    'key',
    'anonymous',
  ];

  it('answers each role of each organisation as the policy says, on every sharing route', async () => {
    const mismatches: string[] = [];
    for (const route of sharingRoutes()) {
      const [setup, expectation] = MATRIX[route]!;
      const method = route.split(' ')[0] as 'GET';
      for (const who of WHO) {
        const { url, body } = await setup();
        const response = await server.app.inject({
          method,
          url,
          headers: creds.get(who)?.headers ?? {},
          ...(method === 'GET' ? {} : { payload: (body ?? {}) as object }),
        });
        const want = expected(expectation, who);
        if (response.statusCode !== want) {
          mismatches.push(
            `${route} as ${who}: ${response.statusCode} (wanted ${want}) ${response.body.slice(0, 120)}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
