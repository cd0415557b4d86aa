import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
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
