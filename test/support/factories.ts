import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type CreateResourceInput,
  createResource,
  publishResource,
  type ResourceView,
} from '../../src/catalog/index.js';
import {
  type Actor,
  type ApplicationView,
  type CreateOrganizationInput,
  createApiKey,
  createApplication,
  createOrganization,
  createUser,
  type OrganizationView,
  type Role,
  type UserView,
} from '../../src/identity/index.js';
import { creditCodeCheckChar } from '../../src/privacy/index.js';
import type { Database } from '../../src/store/index.js';

type Db = Kysely<Database>;
const suffix = () => randomBytes(4).toString('hex');

/** A valid unified social credit code for an enterprise in `region`. */
export function makeCreditCode(region = '350100'): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  let body = `91${region}`;
  for (let i = 0; i < 9; i++) body += alphabet[randomBytes(1)[0]! % 31];
  return body + creditCodeCheckChar(body)!;
}

/** Creates an organisation with sensible defaults. */
export function buildOrganization(
  db: Db,
  overrides: Partial<CreateOrganizationInput> = {},
): Promise<OrganizationView> {
  const kind = overrides.kind ?? 'department';
  return createOrganization(db, {
    name: `测试单位-${suffix()}`,
    kind,
    level: 'provincial',
    regionCode: '350000',
    ...(kind === 'enterprise' ? { creditCode: makeCreditCode() } : {}),
    ...overrides,
  });
}

/** The password every factory user has. */
export const TEST_PASSWORD = 'correct horse battery';

/** Creates a user (in a new organisation unless one is given). */
export async function buildUser(
  db: Db,
  overrides: { orgId?: string; roles?: Role[]; username?: string } = {},
): Promise<UserView> {
  const orgId = overrides.orgId ?? (await buildOrganization(db)).id;
  return createUser(db, {
    orgId,
    username: overrides.username ?? `user-${suffix()}`,
    displayName: '测试用户',
    password: TEST_PASSWORD,
    roles: overrides.roles ?? ['analyst'],
  });
}

/** Creates an application of an organisation. */
export function buildApplication(db: Db, orgId: string): Promise<ApplicationView> {
  return createApplication(db, { orgId, name: `app-${suffix()}`, description: '' });
}

/** Creates an application with a key; returns both and the plain key. */
export async function buildApiKey(db: Db, orgId: string, roles: Role[] = ['analyst']) {
  const application = await buildApplication(db, orgId);
  const created = await createApiKey(db, { applicationId: application.id, name: 'test key', roles });
  return { application, ...created };
}

/** A data steward of `orgId` as an actor, for calling domain functions directly. */
export function stewardOf(orgId: string): Actor {
  return { kind: 'user', userId: randomUUID(), orgId, username: 'steward', roles: ['data_steward'] };
}

/** A valid body of POST /resources (two items by default), for the factory and for HTTP tests. */
export function resourceInput(overrides: Partial<CreateResourceInput> = {}): CreateResourceInput {
  return {
    name: `测试资源-${suffix()}`,
    classificationCode: '101001',
    summary: '用于测试的信息资源',
    format: 'CSV',
    items: [
      { name: '姓名', field: 'name', dataType: 'string', personal: true, personalKind: 'basic' },
      { name: '出生日期', field: 'birth_date', dataType: 'date' },
    ],
    sharingType: 'unconditional',
    sharingMethods: ['api'],
    updateCycle: 'monthly',
    ...overrides,
  };
}

/** Creates a catalog resource of `orgId` (a draft unless `publish`), with two items by default. */
export async function buildResource(
  db: Db,
  orgId: string,
  overrides: Partial<CreateResourceInput> = {},
  options: { publish?: boolean } = {},
): Promise<ResourceView> {
  const actor = stewardOf(orgId);
  const created = await createResource(db, actor, resourceInput(overrides));
  return options.publish ? publishResource(db, actor, created.code) : created;
}

/** Personal and plain items for sharing tests: one per masking convention, one other personal, one plain. */
export const PERSON_ITEMS: NonNullable<CreateResourceInput['items']> = [
  { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
  { name: '身份证号', field: 'sfzh', dataType: 'string', personal: true, personalKind: 'identity_document' },
  { name: '手机号码', field: 'sjhm', dataType: 'string', personal: true, personalKind: 'communication' },
  { name: '银行卡号', field: 'yhkh', dataType: 'string', personal: true, personalKind: 'bank_account' },
  { name: '健康状况', field: 'jkzk', dataType: 'string', personal: true, personalKind: 'health' },
  { name: '区划', field: 'qh', dataType: 'string' },
];

/** A published resource of `orgId` with PERSON_ITEMS, the conditions its sharing and open types require filled in. */
export function buildSharedResource(
  db: Db,
  orgId: string,
  overrides: Partial<CreateResourceInput> = {},
): Promise<ResourceView> {
  return buildResource(
    db,
    orgId,
    {
      items: PERSON_ITEMS,
      sharingConditions: overrides.sharingType === 'conditional' ? '用于政务服务' : '',
      openConditions: overrides.openType === 'conditional' ? '注册并接受许可' : '',
      legalBasis: overrides.sharingType === 'not_shared' ? '《某某法》第十条' : '',
      licence: overrides.openType === 'conditional' ? 'CC-BY-4.0' : '',
      ...overrides,
    },
    { publish: true },
  );
}

/** The roles a sharing test gives one user each, per organisation. */
export const ORG_ROLES = ['org_admin', 'data_steward', 'analyst', 'security_officer'] as const;

/**
 * Organisations for sharing tests: a provider, a consumer (with an application and its analyst
 * key) and an unrelated one, each with one user per role in ORG_ROLES; plus a platform
 * administrator and an auditor.
 */
export async function buildSharingOrgs(db: Db) {
  const org = async () => {
    const o = await buildOrganization(db);
    const users = {} as Record<(typeof ORG_ROLES)[number], UserView>;
    for (const role of ORG_ROLES) users[role] = await buildUser(db, { orgId: o.id, roles: [role] });
    return { org: o, users };
  };
  const provider = await org();
  const consumer = await org();
  const other = await org();
  const key = await buildApiKey(db, consumer.org.id, ['analyst']);
  const platformAdmin = await buildUser(db, { roles: ['platform_admin'] });
  const auditor = await buildUser(db, { roles: ['auditor'] });
  return { provider, consumer, other, key, platformAdmin, auditor };
}
