import type { Kysely } from 'kysely';
import { ConflictError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import type { ResourceRow } from './presenters.js';

type Db = Kysely<Database>;

/** The id of the change of a resource waiting for catalog review, if one is. */
export async function pendingChangeId(db: Db, resourceId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('catalog_changes')
    .select('id')
    .where('resource_id', '=', resourceId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Refuses (409 catalog_change_pending) any write to a resource while a change of it waits for
 * review: the reviewer approves exactly the diff they read, so nothing may move beneath it. The
 * steward withdraws the change first, or waits for the decision.
 */
export async function refuseWhilePending(db: Db, row: Pick<ResourceRow, 'id'>): Promise<void> {
  const changeId = await pendingChangeId(db, row.id);
  if (changeId) {
    throw new ConflictError(
      'catalog_change_pending',
      'A change of this resource already waits for catalog review; withdraw it first',
      { changeId },
    );
  }
}
