import type { Kysely } from 'kysely';
import { ConflictError } from '../errors/index.js';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { presentGrants } from './grant-names.js';
import { visibleGrantRow } from './grants.js';
import { notify } from './notifications.js';
import type { GrantView } from './schemas.js';
import { SHARING_LABELS } from './vocab.js';

type Db = Kysely<Database>;

/** A change a provider makes to a grant. */
export type GrantChange = 'suspend' | 'resume' | 'revoke';

// Which states each change leaves from, and the state it reaches. Revocation is final.
const MOVES: Record<GrantChange, { from: string[]; to: 'active' | 'suspended' | 'revoked' }> = {
  suspend: { from: ['active'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'active' },
  revoke: { from: ['active', 'suspended'], to: 'revoked' },
};

/**
 * Suspends, resumes or revokes a grant (the provider's stewards and security officers). The
 * change is a single row update that `resolveAccess` reads on the next request, so it takes
 * effect at once; the holder's organisation is told. A change from the wrong state is 409.
 */
export async function changeGrantStatus(
  db: Db,
  actor: Actor,
  id: string,
  change: GrantChange,
  reason = '',
): Promise<GrantView> {
  const row = await visibleGrantRow(db, actor, id, 'grant.manage');
  const updated = await moveGrant(db, id, change, reason);
  if (!updated) {
    throw new ConflictError('grant_state_conflict', `A ${row.status} grant cannot be ${change}d`, {
      status: row.status,
    });
  }
  return (await presentGrants(db, [updated]))[0]!;
}

/** Moves a grant if its state allows, and tells its holder; undefined when the state did not allow it. */
async function moveGrant(db: Db, id: string, change: GrantChange, reason: string) {
  const move = MOVES[change];
  const updated = await db
    .updateTable('grants')
    .set({ status: move.to, status_reason: reason, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', move.from)
    .returningAll()
    .executeTakeFirst();
  if (!updated) return undefined;
  await notify(
    db,
    { orgId: updated.consumer_org_id, role: 'analyst' },
    {
      kind: `grant.${move.to}`,
      title: `授权${SHARING_LABELS.grantStatus[move.to]}：${updated.resource_code}`,
      body: reason,
      grantId: id,
    },
  );
  return updated;
}

/**
 * Suspends or resumes a grant on the platform's own authority: an early-warning response set by
 * the security officer (docs/warning.md), and its undoing. Returns whether the grant moved.
 */
export async function setGrantSuspendedByPlatform(
  db: Db,
  id: string,
  suspended: boolean,
  reason: string,
): Promise<boolean> {
  return (await moveGrant(db, id, suspended ? 'suspend' : 'resume', reason)) !== undefined;
}
