import type { Kysely } from 'kysely';
import { type Actor, authorize, identityNames } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { securityOfficers } from './raise.js';
import type { Officer } from './schemas.js';

/** The active security officers alerts can be assigned to, with their names and organisations. */
export async function listOfficers(db: Kysely<Database>, actor: Actor): Promise<Officer[]> {
  authorize(actor, 'warning.read');
  const officers = await securityOfficers(db);
  const names = await identityNames(db, {
    users: officers.map((o) => o.userId),
    organizations: officers.map((o) => o.orgId),
  });
  return officers
    .map((o) => ({
      userId: o.userId,
      name: names.users[o.userId] ?? o.userId,
      orgId: o.orgId,
      orgName: names.organizations[o.orgId] ?? null,
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
