// The table of the authorisation matrix: for every route (`METHOD URL` as in the route table),
// how to call it against the world of world.ts, and the class of answer each persona gets, one
// letter per persona in the order of PERSONAS:
//
//   anonymous · platform_admin security_officer(A) auditor · org_admin A B · data_steward A B ·
//   analyst A B · key (A's analyst key)
//
//   A allowed (2xx, or a 3xx redirect) · V authorisation passed, the body refused (400/409/415/422) · R refused
//   (401/403/404) · P passed either way (A or V)
import { randomBytes } from 'node:crypto';
import type { MatrixWorld } from './world.js';

/** How to call a route, and what each persona gets. */
export interface MatrixRow {
  request(world: MatrixWorld): Promise<Call> | Call;
  expect: string;
  /** The route ends the caller's session: each persona logs in afresh for it. */
  freshLogin?: boolean;
}

interface Call {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const unique = () => randomBytes(4).toString('hex');
const get = (url: string | ((w: MatrixWorld) => string | Promise<string>), expect: string): MatrixRow => ({
  request: async (w) => ({ url: typeof url === 'string' ? url : await url(w) }),
  expect,
});
const send = (
  url: (w: MatrixWorld) => string | Promise<string>,
  body: (w: MatrixWorld) => unknown,
  expect: string,
): MatrixRow => ({ request: async (w) => ({ url: await url(w), body: body(w) }), expect });

const EVERYONE = 'A AAA AA AA AA A';
const SIGNED_IN = 'R AAA AA AA AA A';

const resourceBody = () => ({
  name: `矩阵资源-${unique()}`,
  classificationCode: '101001',
  summary: '矩阵测试',
  format: 'CSV',
  items: [{ name: '区划', field: 'qh', dataType: 'string' }],
  sharingType: 'unconditional',
  sharingMethods: ['api'],
  updateCycle: 'monthly',
});

/** Every route of the platform but the API docs' static files. */
export const ROUTES: Record<string, MatrixRow> = {
  // Meta and public reads.
  'GET /api/openapi.json': get('/api/openapi.json', EVERYONE),
  'GET /api/health': get('/api/health', EVERYONE),
  'GET /api/health/ready': get('/api/health/ready', EVERYONE),
  // Operations: the scrape route is absent (404) without HUITONG_METRICS_TOKEN, as here; its JSON
  // twin is the system administrator's.
  'GET /metrics': get('/metrics', 'R RRR RR RR RR R'),
  'GET /api/v1/admin/metrics': get('/api/v1/admin/metrics', 'R ARR RR RR RR R'),
  'GET /api/v1/roles': get('/api/v1/roles', EVERYONE),
  'GET /api/v1/regions/:code': get('/api/v1/regions/350000', EVERYONE),
  'GET /': get('/', EVERYONE),
  'GET /*': get('/catalog', EVERYONE),

  // Sessions.
  'POST /api/v1/auth/login': send(
    () => '/api/v1/auth/login',
    () => ({}),
    'V VVV VV VV VV V',
  ),
  'POST /api/v1/auth/logout': {
    ...send(
      () => '/api/v1/auth/logout',
      () => ({}),
      EVERYONE,
    ),
    freshLogin: true,
  },
  'GET /api/v1/auth/me': get('/api/v1/auth/me', SIGNED_IN),
  'POST /api/v1/auth/password': send(
    () => '/api/v1/auth/password',
    () => ({}),
    'R VVV VV VV VV V',
  ),

  // Organisations and users.
  'GET /api/v1/organizations': get('/api/v1/organizations', SIGNED_IN),
  'POST /api/v1/organizations': send(
    () => '/api/v1/organizations',
    () => ({ name: `矩阵新单位-${unique()}`, kind: 'department', level: 'provincial', regionCode: '350000' }),
    'R ARR RR RR RR R',
  ),
  'GET /api/v1/organizations/:id': get((w) => `/api/v1/organizations/${w.orgA.id}`, SIGNED_IN),
  'PATCH /api/v1/organizations/:id': send(
    (w) => `/api/v1/organizations/${w.orgA.id}`,
    () => ({}),
    'R ARR AR RR RR R',
  ),
  'GET /api/v1/users': get('/api/v1/users', 'R ARR AA RR RR R'),
  'POST /api/v1/users': send(
    () => '/api/v1/users',
    (w) => ({
      orgId: w.orgA.id,
      username: `matrix-${unique()}`,
      displayName: '矩阵用户',
      password: 'correct horse battery',
      roles: ['analyst'],
    }),
    'R ARR AR RR RR R',
  ),
  'GET /api/v1/users/:id': get((w) => `/api/v1/users/${w.users.get('data_steward')!.id}`, 'R ARR AR AR RR R'),
  'PATCH /api/v1/users/:id': send(
    (w) => `/api/v1/users/${w.users.get('data_steward')!.id}`,
    () => ({ displayName: '矩阵用户' }),
    'R ARR AR RR RR R',
  ),

  // Applications and keys.
  'GET /api/v1/applications': get('/api/v1/applications', 'R RRR AA AA AA A'),
  'POST /api/v1/applications': send(
    () => '/api/v1/applications',
    () => ({ name: `矩阵应用-${unique()}` }),
    'R RRR AA AA AA R',
  ),
  'GET /api/v1/applications/:id': get((w) => `/api/v1/applications/${w.application}`, 'R RRR AR AR AR A'),
  'PATCH /api/v1/applications/:id': send(
    (w) => `/api/v1/applications/${w.application}`,
    () => ({ description: '矩阵' }),
    'R RRR AR AR AR R',
  ),
  'GET /api/v1/applications/:id/keys': get(
    (w) => `/api/v1/applications/${w.application}/keys`,
    'R RRR AR AR AR A',
  ),
  'POST /api/v1/applications/:id/keys': send(
    async (w) => {
      await w.spareKeys();
      return `/api/v1/applications/${w.application}/keys`;
    },
    () => ({ name: `k-${unique()}` }),
    'R RRR AR VR AR R',
  ),
  'POST /api/v1/applications/:id/keys/:keyId/revoke': send(
    async (w) => `/api/v1/applications/${w.application}/keys/${await w.newKey()}/revoke`,
    () => ({}),
    'R RRR AR AR AR R',
  ),

  // The catalog.
  'GET /api/v1/resources': get('/api/v1/resources', EVERYONE),
  'POST /api/v1/resources': send(() => '/api/v1/resources', resourceBody, 'R RRR AA AA RR R'),
  'GET /api/v1/resources/:code': get((w) => `/api/v1/resources/${w.resource}`, EVERYONE),
  'PATCH /api/v1/resources/:code': send(
    (w) => `/api/v1/resources/${w.resource}`,
    () => ({}),
    'R RRR AR AR RR R',
  ),
  'POST /api/v1/resources/:code/publish': send(
    (w) => w.newDraft().then((code) => `/api/v1/resources/${code}/publish`),
    () => ({}),
    'R RRR AR AR RR R',
  ),
  'POST /api/v1/resources/:code/retire': send(
    (w) => w.newPublished().then((code) => `/api/v1/resources/${code}/retire`),
    () => ({}),
    'R RRR AR AR RR R',
  ),
  // Catalog review (目录审核): A's stewards and administrators follow and withdraw their own
  // changes; only a catalog reviewer decides, and no persona here is one (changes.test.ts).
  'GET /api/v1/catalog/changes': get('/api/v1/catalog/changes', 'R RRR AA AA RR R'),
  'GET /api/v1/catalog/changes/:id': get(
    async (w) => `/api/v1/catalog/changes/${await w.newCatalogChange()}`,
    'R RRR AR AR RR R',
  ),
  'POST /api/v1/catalog/changes/:id/approve': send(
    async (w) => `/api/v1/catalog/changes/${await w.newCatalogChange()}/approve`,
    () => ({}),
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/catalog/changes/:id/refuse': send(
    async (w) => `/api/v1/catalog/changes/${await w.newCatalogChange()}/refuse`,
    () => ({ reasonCode: 'duplicate' }),
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/catalog/changes/:id/withdraw': send(
    async (w) => `/api/v1/catalog/changes/${await w.newCatalogChange()}/withdraw`,
    () => ({}),
    'R RRR AR AR RR R',
  ),
  'GET /api/v1/resources/:code/versions': get((w) => `/api/v1/resources/${w.resource}/versions`, EVERYONE),
  'GET /api/v1/resources/:code/versions/:version': get(
    (w) => `/api/v1/resources/${w.resource}/versions/1`,
    EVERYONE,
  ),
  'GET /api/v1/catalog/search': get('/api/v1/catalog/search?q=矩阵', EVERYONE),
  'GET /api/v1/catalog/classifications': get('/api/v1/catalog/classifications', EVERYONE),
  'GET /api/3/action/:name': get('/api/3/action/package_list', EVERYONE),
  'POST /api/3/action/:name': send(
    () => '/api/3/action/package_list',
    () => ({}),
    EVERYONE,
  ),
  'GET /api/v1/catalog.jsonld': get('/api/v1/catalog.jsonld', EVERYONE),
  'GET /api/v1/resources/:code.jsonld': get((w) => `/api/v1/resources/${w.resource}.jsonld`, EVERYONE),
  'GET /api/v1/catalog.ttl': get('/api/v1/catalog.ttl', EVERYONE),
  'GET /api/v1/resources/:code.ttl': get((w) => `/api/v1/resources/${w.resource}.ttl`, EVERYONE),
  'GET /api/v1/resources/:code/datapackage.json': get(
    (w) => `/api/v1/resources/${w.resource}/datapackage.json`,
    EVERYONE,
  ),
  'POST /api/v1/catalog/datapackage': send(
    () => '/api/v1/catalog/datapackage',
    () => ({
      descriptor: {
        name: 'matrix',
        resources: [{ name: 'r', schema: { fields: [{ name: 'qh', type: 'string' }] } }],
      },
      overrides: {
        classificationCode: '101001',
        summary: '矩阵测试',
        sharingType: 'unconditional',
        updateCycle: 'monthly',
      },
    }),
    'R RRR PP PP RR R',
  ),
  'POST /api/v1/catalog/import': {
    request: () => ({
      url: '/api/v1/catalog/import',
      body: '信息资源名称,信息资源代码\n矩阵,\n',
      headers: { 'content-type': 'text/csv' },
    }),
    expect: 'R RRR PP PP RR R',
  },
  'GET /api/v1/catalog/stats': get('/api/v1/catalog/stats', EVERYONE),

  // Governance (docs/governance.md): the calendar and rules are read by anyone signed in, set by
  // the platform administrator; the SLA by the platform administrator and the auditor (all) and
  // an organisation's administrator or security officer (its own).
  'GET /api/v1/governance/calendar': get(
    '/api/v1/governance/calendar?from=2025-10-01&to=2025-10-31',
    SIGNED_IN,
  ),
  'GET /api/v1/governance/calendar/overrides': get('/api/v1/governance/calendar/overrides', SIGNED_IN),
  'PUT /api/v1/governance/calendar/overrides/:day': send(
    () => '/api/v1/governance/calendar/overrides/2039-10-09',
    () => ({ kind: 'holiday', reason: '矩阵测试' }),
    'R ARR RR RR RR R',
  ),
  'DELETE /api/v1/governance/calendar/overrides/:day': send(
    (w) => w.newOverride().then((day) => `/api/v1/governance/calendar/overrides/${day}`),
    () => undefined,
    'R ARR RR RR RR R',
  ),
  'GET /api/v1/governance/working-days': get(
    '/api/v1/governance/working-days?from=2025-09-30T10:00:00Z&add=10',
    SIGNED_IN,
  ),
  'GET /api/v1/governance/deadline-rules': get('/api/v1/governance/deadline-rules', SIGNED_IN),
  'PUT /api/v1/governance/deadline-rules': send(
    () => '/api/v1/governance/deadline-rules',
    () => ({ step: 'access_request', sharingType: 'conditional', grade: 'core', workingDays: 10 }),
    'R ARR RR RR RR R',
  ),
  'GET /api/v1/governance/sla': get('/api/v1/governance/sla', 'R AAA AA RR RR R'),
  'GET /api/v1/governance/assessments': get(
    '/api/v1/governance/assessments?month=2025-10',
    'R AAA AA RR RR R',
  ),
  'GET /api/v1/governance/assessments/export': get(
    '/api/v1/governance/assessments/export?month=2025-10&format=xlsx',
    'R AAA AA RR RR R',
  ),
  // Data quality: scores are anyone's signed in (a resource's, whoever sees the resource); rules,
  // schedules, runs and the issues with their masked samples are the provider's stewards'.
  'GET /api/v1/governance/quality/scores': get('/api/v1/governance/quality/scores', SIGNED_IN),
  'GET /api/v1/governance/quality/resources/:code/score': get(
    (w) => `/api/v1/governance/quality/resources/${w.resource}/score`,
    SIGNED_IN,
  ),
  'GET /api/v1/governance/quality/resources/:code': get(
    (w) => `/api/v1/governance/quality/resources/${w.resource}`,
    'R RRR AR AR RR R',
  ),
  'POST /api/v1/governance/quality/resources/:code/rules': send(
    (w) => `/api/v1/governance/quality/resources/${w.resource}/rules`,
    () => ({ kind: 'completeness', item: '区划' }),
    'R RRR AR AR RR R',
  ),
  // No rule of that id: the allowed personas get its 404 too, so this row checks only the refusals.
  'DELETE /api/v1/governance/quality/resources/:code/rules/:id': send(
    (w) => `/api/v1/governance/quality/resources/${w.resource}/rules/00000000-0000-4000-8000-000000000000`,
    () => undefined,
    'R RRR RR RR RR R',
  ),
  'PUT /api/v1/governance/quality/resources/:code/schedule': send(
    (w) => `/api/v1/governance/quality/resources/${w.resource}/schedule`,
    () => ({ everyMinutes: 1440 }),
    'R RRR AR AR RR R',
  ),
  'POST /api/v1/governance/quality/resources/:code/runs': send(
    (w) => `/api/v1/governance/quality/resources/${w.resource}/runs`,
    () => ({}),
    'R RRR AR AR RR R',
  ),

  // Objections (异议处理): B objects to A's resource. Each side reads it; A's stewards answer, B's
  // side confirms or reopens; the counts per resource are A's and the platform's overseers'.
  'GET /api/v1/governance/objections': get('/api/v1/governance/objections', 'R RAR AA AA AA A'),
  'GET /api/v1/governance/objections/stats': get(
    (w) => `/api/v1/governance/objections/stats?resource=${w.resource}`,
    'R AAA AR AR RR R',
  ),
  'GET /api/v1/governance/objections/:id': get(
    (w) => w.newObjection().then((id) => `/api/v1/governance/objections/${id}`),
    'R RAR AA AA AA A',
  ),
  'POST /api/v1/governance/objections': send(
    () => '/api/v1/governance/objections',
    () => ({}),
    'R VVV VV VV VV V',
  ),
  'POST /api/v1/governance/objections/:id/correct': send(
    (w) => w.newObjection().then((id) => `/api/v1/governance/objections/${id}/correct`),
    () => ({ reply: '矩阵测试' }),
    'R RRR RR AR RR R',
  ),
  'POST /api/v1/governance/objections/:id/explain': send(
    (w) => w.newObjection().then((id) => `/api/v1/governance/objections/${id}/explain`),
    () => ({ reply: '矩阵测试' }),
    'R RRR RR AR RR R',
  ),
  'POST /api/v1/governance/objections/:id/confirm': send(
    (w) => w.newObjection('corrected').then((id) => `/api/v1/governance/objections/${id}/confirm`),
    () => ({}),
    'R RRR RA RA RA R',
  ),
  'POST /api/v1/governance/objections/:id/reopen': send(
    (w) => w.newObjection('corrected').then((id) => `/api/v1/governance/objections/${id}/reopen`),
    () => ({ reply: '矩阵测试' }),
    'R RRR RA RA RA R',
  ),
  // The demand list: read by anyone signed in; posted by an organisation's people; assigned by the
  // platform administrator; declined or answered by the assigned department (A) — its steward or
  // administrator; withdrawn by the requesting organisation (A). Another's is a 403, not a 404.
  'POST /api/v1/governance/demands': send(
    () => '/api/v1/governance/demands',
    () => ({
      title: '矩阵需求',
      description: '矩阵',
      purpose: '矩阵',
      legalBasis: '矩阵',
      items: [{ name: '区划' }],
    }),
    'R RRR AA AA AA R',
  ),
  'GET /api/v1/governance/demands': get('/api/v1/governance/demands', SIGNED_IN),
  'GET /api/v1/governance/demands/:id': get(
    (w) => w.newDemand().then((id) => `/api/v1/governance/demands/${id}`),
    SIGNED_IN,
  ),
  'POST /api/v1/governance/demands/:id/assign': send(
    (w) => w.newDemand().then((id) => `/api/v1/governance/demands/${id}/assign`),
    (w) => ({ orgId: w.orgB.id }),
    'R ARR RR RR RR R',
  ),
  'POST /api/v1/governance/demands/:id/decline': send(
    (w) => w.newDemand(true).then((id) => `/api/v1/governance/demands/${id}/decline`),
    () => ({ reason: '不是本单位职责' }),
    'R RRR AR AR RR R',
  ),
  'POST /api/v1/governance/demands/:id/answer': send(
    (w) => w.newDemand(true).then((id) => `/api/v1/governance/demands/${id}/answer`),
    () => ({ kind: 'refusal', reason: '矩阵测试' }),
    'R RRR AR AR RR R',
  ),
  'POST /api/v1/governance/demands/:id/withdraw': send(
    (w) => w.newDemand().then((id) => `/api/v1/governance/demands/${id}/withdraw`),
    () => undefined,
    'R RRR AR AR AR R',
  ),

  // Sharing: A is the provider, C (no persona here) the consumer; see also the sharing matrix.
  'POST /api/v1/access-requests': send(
    () => '/api/v1/access-requests',
    () => ({}),
    'R VVV VV VV VV V',
  ),
  'GET /api/v1/access-requests': get('/api/v1/access-requests', 'R RRR AA AA AA R'),
  'GET /api/v1/access-requests/stats': get('/api/v1/access-requests/stats', SIGNED_IN),
  'GET /api/v1/access-requests/:id': get((w) => `/api/v1/access-requests/${w.request}`, 'R RAR AR AR RR R'),
  'POST /api/v1/access-requests/:id/withdraw': send(
    (w) => w.newRequest().then((id) => `/api/v1/access-requests/${id}/withdraw`),
    () => ({}),
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/access-requests/:id/approve': send(
    (w) => w.newRequest().then((id) => `/api/v1/access-requests/${id}/approve`),
    () => ({}),
    'R RRR RR AR RR R',
  ),
  'POST /api/v1/access-requests/:id/reject': send(
    (w) => w.newRequest().then((id) => `/api/v1/access-requests/${id}/reject`),
    () => ({ reason: 'other', text: '矩阵测试' }),
    'R RRR RR AR RR R',
  ),
  'GET /api/v1/grants': get('/api/v1/grants', 'R RAR AA AA AA A'),
  'GET /api/v1/grants/:id': get((w) => `/api/v1/grants/${w.grant}`, 'R RAR AR AR AR A'),
  'GET /api/v1/grants/:id.jsonld': get((w) => `/api/v1/grants/${w.grant}.jsonld`, 'R RAR AR AR AR A'),
  'GET /api/v1/grants/:id/usage': get((w) => `/api/v1/grants/${w.grant}/usage`, 'R RAR AR AR AR A'),
  'GET /api/v1/grants/:id/privacy-budget': get(
    (w) => `/api/v1/grants/${w.grant}/privacy-budget`,
    'R RAR AR AR AR A',
  ),
  // The world's grants are detail grants: whoever may manage them gets budget_not_applicable (V).
  'PUT /api/v1/grants/:id/privacy-budget': send(
    (w) => w.newGrant().then((id) => `/api/v1/grants/${id}/privacy-budget`),
    () => ({ epsilonPerDay: 1, epsilonTotal: 2 }),
    'R RVR RR VR RR R',
  ),
  'POST /api/v1/grants/:id/suspend': send(
    (w) => w.newGrant().then((id) => `/api/v1/grants/${id}/suspend`),
    () => ({}),
    'R RAR RR AR RR R',
  ),
  'POST /api/v1/grants/:id/resume': send(
    (w) => w.newGrant().then((id) => `/api/v1/grants/${id}/resume`),
    () => ({}),
    'R RVR RR VR RR R',
  ),
  'POST /api/v1/grants/:id/revoke': send(
    (w) => w.newGrant().then((id) => `/api/v1/grants/${id}/revoke`),
    () => ({}),
    'R RAR RR AR RR R',
  ),
  'GET /api/v1/usage': get('/api/v1/usage?side=provider', 'R RAR AA AA AA A'),
  'GET /api/v1/notifications': get('/api/v1/notifications', SIGNED_IN),
  'POST /api/v1/notifications/:id/read': send(
    (w) => w.newNotification().then((id) => `/api/v1/notifications/${id}/read`),
    () => ({}),
    'R RRR RR RR AR A',
  ),
  'POST /api/v1/resources/:code/licence-acceptance': send(
    (w) => `/api/v1/resources/${w.resource}/licence-acceptance`,
    () => ({}),
    SIGNED_IN,
  ),
  'GET /api/v1/resources/:code/open-release': get(
    (w) => `/api/v1/resources/${w.resource}/open-release`,
    EVERYONE,
  ),
  'PUT /api/v1/resources/:code/open-release': send(
    (w) => `/api/v1/resources/${w.resource}/open-release`,
    () => ({ items: [] }),
    'R RRR AR AR RR R',
  ),
  // The k-anonymity gate's steward routes: the provider's stewards and administrators only.
  'POST /api/v1/resources/:code/open-release/k-preview': send(
    (w) => `/api/v1/resources/${w.resource}/open-release/k-preview`,
    () => ({ quasiIdentifiers: ['区划'], k: 5 }),
    // The PUT above may have emptied the release (then 区划 is not released: 400).
    'R RRR PR PR RR R',
  ),
  'POST /api/v1/resources/:code/open-release/generalise': send(
    (w) => `/api/v1/resources/${w.resource}/open-release/generalise`,
    () => ({ quasiIdentifiers: ['区划'], k: 5 }),
    'R RRR PR PR RR R',
  ),

  // Sources and bindings: A's own stewards and administrators only.
  'GET /api/v1/sources': get('/api/v1/sources', 'R RRR AA AA RR R'),
  'POST /api/v1/sources': send(
    () => '/api/v1/sources',
    () => ({
      kind: 'postgres',
      name: `矩阵源-${unique()}`,
      host: '127.0.0.1',
      port: 5432,
      database: 'test',
      user: 'postgres',
      tls: { mode: 'disable' },
      description: '',
    }),
    'R RRR AA AA RR R',
  ),
  'GET /api/v1/sources/:id': get((w) => `/api/v1/sources/${w.source}`, 'R RRR AR AR RR R'),
  'PATCH /api/v1/sources/:id': send(
    (w) => `/api/v1/sources/${w.source}`,
    () => ({}),
    'R RRR AR AR RR R',
  ),
  'DELETE /api/v1/sources/:id': {
    request: async (w) => ({ url: `/api/v1/sources/${await w.newSource()}` }),
    expect: 'R RRR AR AR RR R',
  },
  'POST /api/v1/sources/:id/test': send(
    (w) => `/api/v1/sources/${w.source}/test`,
    () => ({}),
    'R RRR AR AR RR R',
  ),
  'GET /api/v1/sources/:id/schema': get((w) => `/api/v1/sources/${w.source}/schema`, 'R RRR AR AR RR R'),
  'POST /api/v1/sources/files': send(
    () => '/api/v1/sources/files?name=x',
    () => ({}),
    'R RRR VV VV RR R',
  ),
  'PATCH /api/v1/sources/:id/columns': send(
    (w) => `/api/v1/sources/${w.source}/columns`,
    () => ({ columns: [{ name: 'qh', type: 'string' }] }),
    'R RRR VR VR RR R',
  ),
  // A new version of a file: the world's source is a database, refused (400) once authorised.
  'PUT /api/v1/sources/:id/file': send(
    (w) => `/api/v1/sources/${w.source}/file`,
    () => ({}),
    'R RRR VR VR RR R',
  ),
  'PUT /api/v1/resources/:code/binding': send(
    (w) => `/api/v1/resources/${w.resource}/binding`,
    (w) => ({ sourceId: w.source, from: w.from }),
    'R RRR AR AR RR R',
  ),
  'GET /api/v1/resources/:code/binding': get(
    (w) => `/api/v1/resources/${w.resource}/binding`,
    'R RRR AR AR RR R',
  ),
  'DELETE /api/v1/resources/:code/binding': {
    request: async (w) => ({ url: `/api/v1/resources/${await w.newBound()}/binding` }),
    expect: 'R RRR AR AR RR R',
  },
  'POST /api/v1/sources/:id/scan': send(
    (w) => `/api/v1/sources/${w.source}/scan`,
    (w) => ({ from: w.from, sampleSize: 10 }),
    'R RRR AR AR RR R',
  ),

  // The data path: stewards and analysts only (三员分立), the provider's own rows, no grant elsewhere.
  // Subscriptions: a consumer application (its key) subscribes, pauses, deletes and pulls; its
  // organisation's administrators and analysts follow them. Creating one asks for a published
  // resource that is not bound (409 for the key), so that no capture is prepared here.
  'POST /api/v1/subscriptions': {
    request: async (w) => ({ url: '/api/v1/subscriptions', body: { resourceCode: await w.newPublished() } }),
    expect: 'R RRR RR RR RR V',
  },
  'GET /api/v1/subscriptions': get('/api/v1/subscriptions', 'R RRR AA RR AA A'),
  'GET /api/v1/subscriptions/:id': get(
    async (w) => `/api/v1/subscriptions/${await w.newSubscription()}`,
    'R RRR AR RR AR A',
  ),
  // Pause, resume and replay: the key, or its organisation's administrator from the console.
  'POST /api/v1/subscriptions/:id/pause': send(
    async (w) => `/api/v1/subscriptions/${await w.newSubscription()}/pause`,
    () => ({}),
    'R RRR AR RR RR A',
  ),
  // An active subscription is not paused: the allowed get 409.
  'POST /api/v1/subscriptions/:id/resume': send(
    async (w) => `/api/v1/subscriptions/${await w.newSubscription()}/resume`,
    () => ({}),
    'R RRR VR RR RR V',
  ),
  'GET /api/v1/subscriptions/:id/dead-letters': get(
    async (w) => `/api/v1/subscriptions/${await w.newSubscription()}/dead-letters`,
    'R RRR AR RR AR A',
  ),
  // No such dead letter: 404 for the allowed, hidden (404) or refused for the rest.
  'POST /api/v1/subscriptions/:id/dead-letters/:letterId/replay': send(
    async (w) =>
      `/api/v1/subscriptions/${await w.newSubscription()}/dead-letters/00000000-0000-4000-8000-000000000000/replay`,
    () => ({}),
    'R RRR RR RR RR R',
  ),
  // Who subscribes to a resource: its provider's administrator and stewards.
  'GET /api/v1/resources/:code/subscribers': get(
    (w) => `/api/v1/resources/${w.dataResource}/subscribers`,
    'R RRR AR AR RR R',
  ),
  // Change capture per source: the platform's administrators.
  'GET /api/v1/capture/sources': get('/api/v1/capture/sources', 'R ARR RR RR RR R'),
  'DELETE /api/v1/subscriptions/:id': {
    request: async (w) => ({ url: `/api/v1/subscriptions/${await w.newSubscription()}` }),
    expect: 'R RRR RR RR RR A',
  },
  'GET /api/v1/subscriptions/:id/events': get(
    async (w) => `/api/v1/subscriptions/${await w.newSubscription()}/events`,
    'R RRR RR RR RR A',
  ),
  'GET /api/v1/subscriptions/:id/changes': get(
    async (w) => `/api/v1/subscriptions/${await w.newSubscription()}/changes`,
    'R RRR RR RR RR A',
  ),
  // Delivery schedules (定时全量交付): like subscriptions, the key makes, runs and deletes them; its
  // organisation's administrators and analysts follow them. A run is an export as the key (a
  // failed run is still an answer); a file is downloaded only from a run that left one.
  'POST /api/v1/delivery-schedules': send(
    () => '/api/v1/delivery-schedules',
    (w) => ({ resourceCode: w.dataResource, cron: '0 2 * * *', target: { kind: 'file' } }),
    'R RRR RR RR RR A',
  ),
  'GET /api/v1/delivery-schedules': get('/api/v1/delivery-schedules', 'R RRR AA RR AA A'),
  'GET /api/v1/delivery-schedules/:id': get(
    async (w) => `/api/v1/delivery-schedules/${await w.newDeliverySchedule()}`,
    'R RRR AR RR AR A',
  ),
  'DELETE /api/v1/delivery-schedules/:id': {
    request: async (w) => ({ url: `/api/v1/delivery-schedules/${await w.newDeliverySchedule()}` }),
    expect: 'R RRR RR RR RR A',
  },
  'POST /api/v1/delivery-schedules/:id/run': send(
    async (w) => `/api/v1/delivery-schedules/${await w.newDeliverySchedule()}/run`,
    () => ({}),
    'R RRR RR RR RR A',
  ),
  'GET /api/v1/delivery-schedules/:id/runs': get(
    async (w) => `/api/v1/delivery-schedules/${await w.newDeliverySchedule()}/runs`,
    'R RRR AR RR AR A',
  ),
  'GET /api/v1/delivery-schedules/:id/runs/:runId/file': get(
    async (w) =>
      `/api/v1/delivery-schedules/${await w.newDeliverySchedule()}/runs/00000000-0000-4000-8000-000000000000/file`,
    'R RRR RR RR RR R',
  ),
  'GET /api/v1/resources/:code/rows': get(
    (w) => `/api/v1/resources/${w.dataResource}/rows`,
    'R RRR RR AR AR A',
  ),
  'POST /api/v1/query': send(
    () => '/api/v1/query',
    (w) => ({ sql: `SELECT count(*) AS n FROM "${w.dataResource}"` }),
    'R RRR RR AR AR A',
  ),
  'GET /api/v1/resources/:code/access/:method': get(
    (w) => `/api/v1/resources/${w.dataResource}/access/api`,
    EVERYONE,
  ),
  'POST /api/v1/resources/:code/verify': send(
    (w) => `/api/v1/resources/${w.dataResource}/verify`,
    () => ({ values: { 姓名: '张明', 区划: '350102' } }),
    'R RRR RR AR AR A',
  ),
  // Statistics: the provider's own members (no budget); another organisation holds no statistics grant.
  'POST /api/v1/resources/:code/statistics': send(
    (w) => `/api/v1/resources/${w.dataResource}/statistics`,
    () => ({ measures: [{ fn: 'count' }], epsilon: 1 }),
    'R RRR RR AR AR A',
  ),

  // Release review of sandbox answers (可用不可见): B's analyst asked, A's stewards decide; B's
  // members follow it, and read the held rows only once approved (409 before).
  'GET /api/v1/release-reviews': get('/api/v1/release-reviews', 'R RRR RR AA AA A'),
  'GET /api/v1/release-reviews/:id': get(
    async (w) => `/api/v1/release-reviews/${await w.newReleaseReview()}`,
    'R RRR RR AA RA R',
  ),
  'GET /api/v1/release-reviews/:id/result': get(
    async (w) => `/api/v1/release-reviews/${await w.newReleaseReview()}/result`,
    'R RRR RR AV RV R',
  ),
  'POST /api/v1/release-reviews/:id/approve': send(
    async (w) => `/api/v1/release-reviews/${await w.newReleaseReview()}/approve`,
    () => ({ reason: '同意' }),
    'R RRR RR AR RR R',
  ),
  'POST /api/v1/release-reviews/:id/refuse': send(
    async (w) => `/api/v1/release-reviews/${await w.newReleaseReview()}/refuse`,
    () => ({ reason: '存在差分风险' }),
    'R RRR RR AR RR R',
  ),

  // Early warning (安全预警): the security officer works alerts and sets rules, people only; the
  // auditor reads them.
  'GET /api/v1/warning/alerts': get('/api/v1/warning/alerts', 'R RAA RR RR RR R'),
  'GET /api/v1/warning/alerts/:id': get(
    async (w) => `/api/v1/warning/alerts/${await w.newAlert()}`,
    'R RAA RR RR RR R',
  ),
  'POST /api/v1/warning/alerts/:id/acknowledge': send(
    async (w) => `/api/v1/warning/alerts/${await w.newAlert()}/acknowledge`,
    () => ({ note: '矩阵测试' }),
    'R RAR RR RR RR R',
  ),
  'POST /api/v1/warning/alerts/:id/resolve': send(
    async (w) => `/api/v1/warning/alerts/${await w.newAlert()}/resolve`,
    () => ({ note: '矩阵测试' }),
    'R RAR RR RR RR R',
  ),
  'POST /api/v1/warning/alerts/:id/assign': send(
    async (w) => `/api/v1/warning/alerts/${await w.newAlert()}/assign`,
    (w) => ({ userId: w.officerId }),
    'R RAR RR RR RR R',
  ),
  // The matrix's alerts took no automatic response: whoever may work them gets a 409 (V).
  'POST /api/v1/warning/alerts/:id/undo-response': send(
    async (w) => `/api/v1/warning/alerts/${await w.newAlert()}/undo-response`,
    () => ({}),
    'R RVR RR RR RR R',
  ),
  'GET /api/v1/warning/rules': get('/api/v1/warning/rules', 'R RAA RR RR RR R'),
  // The warning centre's overview and the consumers' baselines: the readers of the alerts.
  'GET /api/v1/warning/officers': get('/api/v1/warning/officers', 'R RAA RR RR RR R'),
  'GET /api/v1/warning/summary': get('/api/v1/warning/summary', 'R RAA RR RR RR R'),
  'GET /api/v1/warning/baselines': get('/api/v1/warning/baselines', 'R RAA RR RR RR R'),
  'GET /api/v1/warning/baselines/:consumer': get(
    async (w) => `/api/v1/warning/baselines/${await w.countedConsumer()}`,
    'R RAA RR RR RR R',
  ),
  // A consumer application's risk score: also the stewards', who review its requests.
  'GET /api/v1/warning/risk/applications/:id': get(
    (w) => `/api/v1/warning/risk/applications/${w.consumerApplicationId}`,
    'R RAA RR AA RR R',
  ),
  'PUT /api/v1/warning/rules/:rule': send(
    () => '/api/v1/warning/rules/night_admin',
    () => ({ settings: { nightStartHour: 22 } }),
    'R RAR RR RR RR R',
  ),

  // Leak tracing (数据溯源): the provider's stewards set the marks; the security officer traces,
  // people only (an empty JSON object is no file to trace: V).
  'GET /api/v1/resources/:code/tracing': get(
    (w) => `/api/v1/resources/${w.resource}/tracing`,
    'R RRR AR AR RR R',
  ),
  'PUT /api/v1/resources/:code/tracing': send(
    (w) => `/api/v1/resources/${w.resource}/tracing`,
    () => ({ keyItem: null, items: [] }),
    'R RRR AR AR RR R',
  ),
  'POST /api/v1/tracing/trace': send(
    () => '/api/v1/tracing/trace',
    () => ({}),
    'R RVR RR RR RR R',
  ),
  'POST /api/v1/tracing/evidence': send(
    () => '/api/v1/tracing/evidence',
    () => ({}),
    'R RVR RR RR RR R',
  ),

  // The audit log: auditors everywhere, organisation administrators over their own organisation.
  'GET /api/v1/audit/public-key': get('/api/v1/audit/public-key', EVERYONE),
  // The matrix's platform is in no federation: every federation route ends in 404
  // federation_not_joined (after authorisation); test/../federation tests cover the rights.
  'GET /api/v1/federation/config': get('/api/v1/federation/config', 'R RRR RR RR RR R'),
  'GET /api/v1/federation/node': get('/api/v1/federation/node', 'R RRR RR RR RR R'),
  'POST /api/v1/federation/join-tokens': send(
    () => '/api/v1/federation/join-tokens',
    () => ({}),
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/federation/join-requests': send(
    () => '/api/v1/federation/join-requests',
    () => ({}),
    'R RRR RR RR RR R',
  ),
  'GET /api/v1/federation/members': get('/api/v1/federation/members', 'R RRR RR RR RR R'),
  'POST /api/v1/federation/members/:nodeId/decision': send(
    () => '/api/v1/federation/members/zj-330000/decision',
    () => ({ decision: 'approve' }),
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/federation/members/:nodeId/status': send(
    () => '/api/v1/federation/members/zj-330000/status',
    () => ({ status: 'suspended' }),
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/federation/peer/rows': send(
    () => '/api/v1/federation/peer/rows',
    () => ({}),
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/federation/peer/export': send(
    () => '/api/v1/federation/peer/export',
    () => ({}),
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/federation/peer/verify': send(
    () => '/api/v1/federation/peer/verify',
    () => ({}),
    'R RRR RR RR RR R',
  ),
  'GET /api/v1/federation/nodes/:nodeId/resources/:code/rows': get(
    '/api/v1/federation/nodes/cn-100000/resources/R-1/rows',
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/federation/nodes/:nodeId/resources/:code/verify': send(
    () => '/api/v1/federation/nodes/cn-100000/resources/R-1/verify',
    () => ({ values: { 身份证号: '110105198001011234' } }),
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/federation/peer/access-requests': send(
    () => '/api/v1/federation/peer/access-requests',
    () => ({}),
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/federation/peer/access-requests/status': send(
    () => '/api/v1/federation/peer/access-requests/status',
    () => ({}),
    'R RRR RR RR RR R',
  ),
  'POST /api/v1/federation/remote-requests': send(
    () => '/api/v1/federation/remote-requests',
    (w) => ({
      providerNodeId: 'cn-100000',
      resourceCode: 'R-1',
      applicationId: w.application,
      items: ['区划'],
      purpose: '矩阵测试',
      legalBasis: '矩阵测试',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    }),
    'R RRR RR RR RR R',
  ),
  'GET /api/v1/federation/remote-requests': get('/api/v1/federation/remote-requests', 'R RRR RR RR RR R'),
  'POST /api/v1/federation/witness/cosignatures': send(
    () => '/api/v1/federation/witness/cosignatures',
    () => ({ cosigned: [], alerts: [] }),
    'R RRR RR RR RR R',
  ),
  'GET /api/v1/federation/witness/checkpoints': get(
    '/api/v1/federation/witness/checkpoints',
    'R RRR RR RR RR R',
  ),
  'GET /api/v1/federation/witness/checkpoints/:nodeId': get(
    '/api/v1/federation/witness/checkpoints/zj-330000',
    'R RRR RR RR RR R',
  ),
  'GET /api/v1/federation/witness/alerts': get('/api/v1/federation/witness/alerts', 'R RRR RR RR RR R'),
  'GET /api/v1/federation/witness/peers': get('/api/v1/federation/witness/peers', 'R RRR RR RR RR R'),
  'POST /api/v1/federation/catalog/report': send(
    () => '/api/v1/federation/catalog/report',
    () => ({}),
    'R RRR RR RR RR R',
  ),
  'GET /api/v1/federation/catalog/nodes': get('/api/v1/federation/catalog/nodes', 'R RRR RR RR RR R'),
  'GET /api/v1/audit/checkpoint': get('/api/v1/audit/checkpoint', EVERYONE),
  'GET /api/v1/audit/checkpoint/note': get('/api/v1/audit/checkpoint/note', EVERYONE),
  'GET /api/v1/audit/proof/inclusion': get('/api/v1/audit/proof/inclusion?index=0&size=1', EVERYONE),
  'GET /api/v1/audit/proof/consistency': get('/api/v1/audit/proof/consistency?from=1&to=1', EVERYONE),
  'GET /api/v1/audit/entries': get('/api/v1/audit/entries', 'R RRA AA RR RR R'),
  'GET /api/v1/audit/entries.csv': get('/api/v1/audit/entries.csv', 'R RRA AA RR RR R'),
  'GET /api/v1/audit/releases/summary': get('/api/v1/audit/releases/summary', 'R RRA AA RR RR R'),
  'GET /api/v1/audit/entries/:index': get('/api/v1/audit/entries/0', 'R RRA RR RR RR R'),
  'GET /api/v1/audit/export.ndjson': get('/api/v1/audit/export.ndjson', 'R RRA RR RR RR R'),
  'POST /api/v1/audit/verify': send(
    () => '/api/v1/audit/verify',
    () => ({}),
    'R RRA RR RR RR R',
  ),
};
