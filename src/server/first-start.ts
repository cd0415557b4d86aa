import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { createOrganization, createUser } from '../identity/index.js';
import type { Database } from '../store/index.js';

/** The administrator created on the first start; the password is shown once. */
export interface InitialAdministrator {
  username: string;
  password: string;
}

/**
 * On an empty store, creates the platform's operating organisation and its administrator
 * (系统管理员). Returns the credentials to print once, or undefined when users already exist.
 */
export async function ensureAdministrator(db: Kysely<Database>): Promise<InitialAdministrator | undefined> {
  const existing = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (existing) return undefined;
  const operator =
    (await db.selectFrom('organizations').select('id').where('kind', '=', 'platform').executeTakeFirst()) ??
    (await createOrganization(db, {
      name: '数据共享交换平台运营中心',
      kind: 'platform',
      level: 'provincial',
      regionCode: '350000',
    }));
  const password = randomBytes(12).toString('base64url');
  await createUser(db, {
    orgId: operator.id,
    username: 'admin',
    displayName: '系统管理员',
    password,
    roles: ['platform_admin'],
  });
  return { username: 'admin', password };
}
