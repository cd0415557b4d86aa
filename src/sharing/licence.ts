import type { Kysely } from 'kysely';
import { getResource } from '../catalog/index.js';
import { ConflictError } from '../errors/index.js';
import { type Actor, ANONYMOUS, type AuthenticatedActor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import type { LicenceAcceptanceView } from './schemas.js';

type Db = Kysely<Database>;

/** Who accepted: a person, or an application through its key. */
function accepterOf(actor: AuthenticatedActor): string {
  return actor.kind === 'user' ? `user:${actor.userId}` : `application:${actor.applicationId}`;
}

/** Whether the actor accepted the licence of a 有条件开放 resource. */
export async function hasAcceptedLicence(
  db: Db,
  actor: AuthenticatedActor,
  resourceId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('licence_acceptances')
    .select('resource_id')
    .where('resource_id', '=', resourceId)
    .where('accepter', '=', accepterOf(actor))
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records that a registered account accepts a 有条件开放 resource's licence (idempotent: the
 * first acceptance is kept). Resources that are not conditionally open need none (409).
 */
export async function acceptLicence(db: Db, actor: Actor, code: string): Promise<LicenceAcceptanceView> {
  const caller = authorize(actor, 'licence.accept');
  // Open data is visible to anyone, so fall back to the portal's view of the resource.
  const resource = await getResource(db, actor, code).catch(() => getResource(db, ANONYMOUS, code));
  if (resource.openType !== 'conditional' || resource.status !== 'published') {
    throw new ConflictError('no_licence_needed', 'This resource is not conditionally open');
  }
  await db
    .insertInto('licence_acceptances')
    .values({
      resource_id: resource.id,
      accepter: accepterOf(caller),
      licence: resource.licence,
      accepted_at: new Date(),
    })
    .onConflict((oc) => oc.columns(['resource_id', 'accepter']).doNothing())
    .execute();
  const row = await db
    .selectFrom('licence_acceptances')
    .selectAll()
    .where('resource_id', '=', resource.id)
    .where('accepter', '=', accepterOf(caller))
    .executeTakeFirstOrThrow();
  return { resourceCode: resource.code, licence: row.licence, acceptedAt: row.accepted_at.toISOString() };
}
