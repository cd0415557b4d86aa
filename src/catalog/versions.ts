import type { Kysely } from 'kysely';
import { NotFoundError } from '../errors/index.js';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { presentResource, presentVersion, presentVersionSummary } from './presenters.js';
import { selectResources, visibleResourceRow } from './resource-rows.js';
import type { ResourceView, VersionSummary, VersionView } from './schemas.js';

type Db = Kysely<Database>;

/**
 * A resource by id for the platform's own scheduled work (the data-quality sweep), which has no
 * caller; undefined when it is gone. Never behind a route: routes read with `getResource`.
 */
export async function findResourceById(db: Db, id: string): Promise<ResourceView | undefined> {
  const row = await selectResources(db).where('resources.id', '=', id).executeTakeFirst();
  return row && presentResource(row);
}

/** One resource the actor may see, by code; a 404 otherwise. */
export async function getResource(db: Db, actor: Actor, code: string): Promise<ResourceView> {
  return presentResource(await visibleResourceRow(db, actor, code));
}

/** The published versions of a resource the actor may see, oldest first. */
export async function listVersions(db: Db, actor: Actor, code: string): Promise<VersionSummary[]> {
  const row = await visibleResourceRow(db, actor, code);
  const rows = await db
    .selectFrom('resource_versions')
    .selectAll()
    .where('resource_id', '=', row.id)
    .orderBy('version')
    .execute();
  return rows.map(presentVersionSummary);
}

/** One published version of a resource the actor may see, as it was then. */
export async function getVersion(db: Db, actor: Actor, code: string, version: number): Promise<VersionView> {
  const row = await visibleResourceRow(db, actor, code);
  const found = await db
    .selectFrom('resource_versions')
    .selectAll()
    .where('resource_id', '=', row.id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!found) throw new NotFoundError('Version');
  return presentVersion(found);
}
