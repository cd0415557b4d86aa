import type { Kysely } from 'kysely';
import { createUser, findOrganizationByName, updateOrganization } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { ACCOUNTS, BUREAU, DEMO_PASSWORD, ORGANIZATIONS } from './members.js';

/** Whether this store already holds the demo (its first department exists). */
export async function demoLoaded(db: Kysely<Database>): Promise<boolean> {
  return (await findOrganizationByName(db, ORGANIZATIONS[0]!.name)) !== undefined;
}

/**
 * The one step that cannot go through the API: the platform operator (created on first start)
 * becomes 福建省大数据管理局, and its demo system administrator is appointed, so that the rest
 * of the demo is loaded by that administrator over HTTP like any client would.
 */
export async function bootstrapBureau(db: Kysely<Database>): Promise<{ orgId: string }> {
  const platform =
    (await db.selectFrom('organizations').select('id').where('kind', '=', 'platform').executeTakeFirst()) ??
    (await db.selectFrom('organizations').select('id').where('name', '=', BUREAU.name).executeTakeFirst());
  if (!platform)
    throw new Error('no platform organisation: start the server once, or run `huitong migrate` first');
  await updateOrganization(db, platform.id, { name: BUREAU.name, creditCode: BUREAU.creditCode });
  const admin = ACCOUNTS.find((a) => a.roles.includes('platform_admin'))!;
  const exists = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', admin.username)
    .executeTakeFirst();
  if (!exists) {
    await createUser(db, {
      orgId: platform.id,
      username: admin.username,
      displayName: admin.displayName,
      password: DEMO_PASSWORD,
      roles: admin.roles,
    });
  }
  return { orgId: platform.id };
}
