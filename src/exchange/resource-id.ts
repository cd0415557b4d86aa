import type { Kysely } from 'kysely';
import { getResource } from '../catalog/index.js';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';

/** The id of a catalog resource the actor may see (404 otherwise). */
export async function getCatalogResourceId(
  db: Kysely<Database>,
  actor: Actor,
  code: string,
): Promise<string> {
  return (await getResource(db, actor, code)).id;
}
