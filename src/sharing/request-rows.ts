import type { Kysely, Selectable } from 'kysely';
import { NotFoundError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { AccessRequestTable, Database } from '../store/index.js';
import { presentAccessRequest } from './presenters.js';
import type { AccessRequestView } from './schemas.js';

type Db = Kysely<Database>;
/** A stored access request. */
export type RequestRow = Selectable<AccessRequestTable>;

/** Runs `work` in a transaction, or in the caller's when `db` already is one. */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** A request row by id, locked for the rest of the transaction when `lock`; a 404 when absent. */
export async function requestRow(db: Db, id: string, lock = false): Promise<RequestRow> {
  let query = db.selectFrom('access_requests').selectAll().where('id', '=', id);
  if (lock) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new NotFoundError('Access request');
  return row;
}

/**
 * Checks the actor may see a request: its consumer organisation's people, or the provider's
 * stewards, security officers and administrators. Anyone else gets a 404.
 */
export function authorizeRequestRead(actor: Actor, row: RequestRow): void {
  if (actor.kind !== 'anonymous' && actor.orgId === row.consumer_org_id) {
    authorize(actor, 'access_request.read', { orgId: row.consumer_org_id, noun: 'Access request' });
  } else {
    authorize(actor, 'access_request.oversee', { orgId: row.provider_id, noun: 'Access request' });
  }
}

/** A request with its steps, as the API shows it. */
export async function presentRow(db: Db, row: RequestRow): Promise<AccessRequestView> {
  const steps = await db
    .selectFrom('access_request_steps')
    .selectAll()
    .where('request_id', '=', row.id)
    .execute();
  return presentAccessRequest(row, steps);
}
