// The bench's platform, made through the API of a running server (as a deployment would be): a
// provider with a steward, a PostgreSQL source and the resource over bench_rows.people; a consumer
// whose analyst's application holds a grant with the default masks, a row filter (年龄 ≥ 18) and a
// daily quota far above what the bench uses (so that the quota is checked and charged, never hit);
// and an API key of each side.
import { randomBytes } from 'node:crypto';
import { type Client, call, login } from '../../test/multiprocess/server-process.js';
import { ITEMS } from './items.js';

const PASSWORD = 'correct horse battery';

const must = async (promise: ReturnType<typeof call>, what: string) => {
  const response = await promise;
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.json)}`);
  return response.json;
};

/** What the bench needs of the seeded platform. */
export interface SeededRows {
  code: string;
  providerKey: string;
  consumerKey: string;
}

/** Seeds the platform at `url`, whose first start printed the administrator's `password`. */
export async function seedRows(url: string, password: string): Promise<SeededRows> {
  const admin = await login(url, 'admin', password);
  const tag = randomBytes(3).toString('hex');
  const org = (name: string) =>
    must(
      call(url, admin, 'POST', '/api/v1/organizations', {
        name: `${name}-${tag}`,
        kind: 'department',
        level: 'provincial',
        regionCode: '350000',
      }),
      `org ${name}`,
    );
  const provider = await org('基准提供方');
  const consumer = await org('基准使用方');
  const user = async (orgId: string, role: string) => {
    const username = `${role.replace('_', '-')}-${tag}`;
    await must(
      call(url, admin, 'POST', '/api/v1/users', {
        orgId,
        username,
        displayName: role,
        password: PASSWORD,
        roles: [role],
        mustChangePassword: false,
      }),
      `user ${role}`,
    );
    return login(url, username, PASSWORD);
  };
  const steward = await user(provider.id, 'data_steward');
  const analyst = await user(consumer.id, 'analyst');
  const keyOf = async (as: Client, role: string) => {
    const application = await must(
      call(url, as, 'POST', '/api/v1/applications', { name: `基准应用-${role}-${tag}` }),
      'application',
    );
    const key = await must(
      call(url, as, 'POST', `/api/v1/applications/${application.id}/keys`, { name: 'bench', roles: [role] }),
      'key',
    );
    return { applicationId: application.id as string, key: key.key as string };
  };
  const source = await must(
    call(url, steward, 'POST', '/api/v1/sources', {
      kind: 'postgres',
      name: `基准库-${tag}`,
      host: '127.0.0.1',
      port: 5432,
      database: 'test',
      user: 'postgres',
      tls: { mode: 'disable' },
      description: '',
    }),
    'source',
  );
  const resource = await must(
    call(url, steward, 'POST', '/api/v1/resources', {
      name: `基准人口-${tag}`,
      classificationCode: '101001',
      summary: '基准测试',
      format: 'CSV',
      items: ITEMS,
      sharingType: 'conditional',
      sharingConditions: '基准测试',
      sharingMethods: ['api', 'file'],
      updateCycle: 'monthly',
    }),
    'resource',
  );
  await must(call(url, steward, 'POST', `/api/v1/resources/${resource.code}/publish`, {}), 'publish');
  await must(
    call(url, steward, 'PUT', `/api/v1/resources/${resource.code}/binding`, {
      sourceId: source.id,
      from: { kind: 'table', schema: 'bench_rows', table: 'people' },
    }),
    'binding',
  );
  const consumerKey = await keyOf(analyst, 'analyst');
  const request = await must(
    call(url, analyst, 'POST', '/api/v1/access-requests', {
      applicationId: consumerKey.applicationId,
      resourceCode: resource.code,
      items: ITEMS.map((i) => i.name),
      purpose: '基准测试',
      legalBasis: '基准测试',
      use: 'detail',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    }),
    'access request',
  );
  await must(
    call(url, steward, 'POST', `/api/v1/access-requests/${request.id}/approve`, {
      rowFilter: [{ item: '年龄', op: 'range', min: 18 }],
      quota: { callsPerDay: 100_000_000, rowsPerDay: 10_000_000_000 },
    }),
    'approve',
  );
  const providerKey = await keyOf(steward, 'data_steward');
  return { code: resource.code, providerKey: providerKey.key, consumerKey: consumerKey.key };
}
