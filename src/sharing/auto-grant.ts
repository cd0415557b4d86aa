import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuthenticatedActor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import type { AccessResource } from './access.js';
import type { GrantRow } from './grants.js';
import { defaultMask } from './masks.js';
import { offeredUses } from './methods.js';

type Db = Kysely<Database>;

/**
 * The holder of an automatic grant: an application calling with its key holds its own; people
 * of an organisation share one organisation-wide grant, since no application is named.
 */
function autoKey(actor: AuthenticatedActor, resourceId: string): string {
  return actor.kind === 'application'
    ? `${resourceId}:application:${actor.applicationId}`
    : `${resourceId}:organization:${actor.orgId}`;
}

/**
 * The terms of the caller's automatic grant of a 无条件共享 resource: every item, personal ones
 * with their default masks, no end date, no quota, and only the uses its sharing methods offer
 * (a verification-only resource gives checks, not records; files only where offered as files).
 */
export function autoGrantRow(actor: AuthenticatedActor, resource: AccessResource, now: Date): GrantRow {
  const { use, mayExport } = offeredUses(resource);
  return {
    id: randomUUID(),
    request_id: null,
    origin: 'automatic',
    auto_key: autoKey(actor, resource.id),
    application_id: actor.kind === 'application' ? actor.applicationId : null,
    consumer_org_id: actor.orgId,
    resource_id: resource.id,
    resource_code: resource.code,
    provider_id: resource.provider.id,
    items: resource.items.map((i) => ({ name: i.name, mask: defaultMask(i) })),
    row_filter: [],
    purpose: '无条件共享',
    use,
    valid_from: now,
    valid_until: null,
    calls_per_day: null,
    rows_per_day: null,
    allowed_ips: [],
    may_export: mayExport,
    epsilon_per_day: null,
    epsilon_total: null,
    sandbox_epsilon: null,
    status: 'active',
    status_reason: '',
    created_by: actor.kind === 'user' ? `user:${actor.userId}` : `application:${actor.applicationId}`,
    created_at: now,
    updated_at: now,
  };
}

/** The caller's stored automatic grant of a resource, if it was created. */
export async function findAutoGrant(
  db: Db,
  actor: AuthenticatedActor,
  resource: AccessResource,
): Promise<GrantRow | undefined> {
  return db
    .selectFrom('grants')
    .selectAll()
    .where('auto_key', '=', autoKey(actor, resource.id))
    .executeTakeFirst();
}

/**
 * The automatic grant of a 无条件共享 resource for the caller, created on first use (see
 * `autoGrantRow`). A revoked one stays revoked: the provider can cut a consumer off unconditional
 * data too. `created` says whether it is new.
 */
export async function ensureAutoGrant(
  db: Db,
  actor: AuthenticatedActor,
  resource: AccessResource,
  now: Date,
): Promise<{ grant: GrantRow; created: boolean }> {
  const existing = await findAutoGrant(db, actor, resource);
  if (existing) return { grant: existing, created: false };
  const row = autoGrantRow(actor, resource, now);
  // Two first calls at once: one insert wins, the other finds its row.
  const inserted = await db
    .insertInto('grants')
    .values({ ...row, items: JSON.stringify(row.items), row_filter: JSON.stringify(row.row_filter) })
    .onConflict((oc) => oc.column('auto_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { grant: inserted, created: true };
  return { grant: (await findAutoGrant(db, actor, resource))!, created: false };
}
