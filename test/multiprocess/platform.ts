// A platform of real server processes for the multi-process and crash tests: the administrator
// from the first start, organisations and users made through the API, a PostgreSQL source with a
// `people` table, a resource bound to it and granted to a consumer's key.
import { randomBytes } from 'node:crypto';
import { SERVICES } from '../support/services.js';
import { peopleRows } from '../support/source-data.js';
import { type Client, call, login } from './server-process.js';

const PASSWORD = 'correct horse battery';

/** Reads the administrator's password that the first start printed. */
export function adminPassword(output: string): string {
  const match = /password: (\S+)/.exec(output);
  if (!match) throw new Error(`no administrator password in: ${output.slice(-1000)}`);
  return match[1]!;
}

const must = async (promise: ReturnType<typeof call>, what: string) => {
  const response = await promise;
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.json)}`);
  return response.json;
};

/** The people of the platform and what they share. */
export interface SeededPlatform {
  admin: Client;
  steward: Client;
  analyst: Client;
  auditor: Client;
  consumerKey: Client;
  applicationId: string;
  providerId: string;
  sourceId: string;
  resource: string;
  grantId: string;
  /**
   * Publishes another resource bound to the same table (or `schema`.people) and grants it to the
   * consumer's key, for detail use unless `use` says otherwise, approved with `terms`.
   */
  grantAnother(
    schema?: string,
    options?: { use?: string; terms?: Record<string, unknown> },
  ): Promise<{ resource: string; grantId: string }>;
}

/** Seeds a platform through `url` (any process of it), reading rows from `schema`.people on PostgreSQL. */
export async function seedPlatform(url: string, password: string, schema: string): Promise<SeededPlatform> {
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
  const provider = await org('公安厅');
  const consumer = await org('民政厅');
  const auditorOrg = await org('审计');
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
  const auditor = await user(auditorOrg.id, 'auditor');
  const application = await must(
    call(url, analyst, 'POST', '/api/v1/applications', { name: `低保系统-${tag}` }),
    'application',
  );
  const key = await must(
    call(url, analyst, 'POST', `/api/v1/applications/${application.id}/keys`, { name: 'k' }),
    'key',
  );
  const consumerKey: Client = { headers: { authorization: `Bearer ${key.key}` } };
  const source = await must(
    call(url, steward, 'POST', '/api/v1/sources', {
      kind: 'postgres',
      name: `人口库-${tag}`,
      host: SERVICES.postgres.host,
      port: SERVICES.postgres.port,
      database: 'test',
      user: 'postgres',
      tls: { mode: 'disable' },
      description: '',
    }),
    'source',
  );
  const grantAnother = async (
    tableSchema = schema,
    options: { use?: string; terms?: Record<string, unknown> } = {},
  ) => {
    const resource = await must(
      call(url, steward, 'POST', '/api/v1/resources', {
        name: `人口信息-${randomBytes(3).toString('hex')}`,
        classificationCode: '101001',
        summary: '人口基本信息',
        format: 'CSV',
        items: [
          { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
          { name: '区划', field: 'qh', dataType: 'string' },
        ],
        sharingType: 'conditional',
        sharingConditions: '用于政务服务',
        sharingMethods: ['api', 'file'],
        updateCycle: 'monthly',
      }),
      'resource',
    );
    await must(call(url, steward, 'POST', `/api/v1/resources/${resource.code}/publish`, {}), 'publish');
    await must(
      call(url, steward, 'PUT', `/api/v1/resources/${resource.code}/binding`, {
        sourceId: source.id,
        from: { kind: 'table', schema: tableSchema, table: 'people' },
      }),
      'binding',
    );
    const request = await must(
      call(url, analyst, 'POST', '/api/v1/access-requests', {
        applicationId: application.id,
        resourceCode: resource.code,
        items: ['姓名', '区划'],
        purpose: '低保核查',
        legalBasis: '《社会救助暂行办法》',
        use: options.use ?? 'detail',
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      }),
      'access request',
    );
    const approved = await must(
      call(url, steward, 'POST', `/api/v1/access-requests/${request.id}/approve`, {
        mayExport: true,
        ...options.terms,
      }),
      'approve',
    );
    return { resource: resource.code as string, grantId: approved.grant.id as string };
  };
  const first = await grantAnother();
  return {
    admin,
    steward,
    analyst,
    auditor,
    consumerKey,
    applicationId: application.id,
    providerId: provider.id,
    sourceId: source.id,
    ...first,
    grantAnother,
  };
}

/** The number of people rows the platform's source holds. */
export const PEOPLE_COUNT = peopleRows(8).length;
