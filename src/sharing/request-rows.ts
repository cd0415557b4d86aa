import type { Kysely, Selectable } from 'kysely';
import { NotFoundError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { AccessRequestStepTable, AccessRequestTable, Database } from '../store/index.js';
import { presentAccessRequest, type RequestNames } from './presenters.js';
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

type StepRow = Selectable<AccessRequestStepTable>;

/**
 * The names of the applicant organisations, applicants, reviewers and applications of some
 * requests, in three statements whatever their number. Read from identity's tables directly: a
 * name per id is all a reviewer needs, and identity's getters would cost one query per id.
 */
export async function requestNames(db: Db, rows: RequestRow[], steps: StepRow[]): Promise<RequestNames> {
  const orgIds = [...new Set(rows.map((r) => r.consumer_org_id))];
  const appIds = [...new Set(rows.map((r) => r.application_id))];
  const userIds = [
    ...new Set([...rows.map((r) => r.created_by), ...steps.flatMap((s) => (s.actor_id ? [s.actor_id] : []))]),
  ];
  const [orgs, apps, users] = await Promise.all([
    orgIds.length
      ? db.selectFrom('organizations').select(['id', 'name']).where('id', 'in', orgIds).execute()
      : [],
    appIds.length
      ? db.selectFrom('applications').select(['id', 'name']).where('id', 'in', appIds).execute()
      : [],
    userIds.length
      ? db.selectFrom('users').select(['id', 'display_name', 'username']).where('id', 'in', userIds).execute()
      : [],
  ]);
  return {
    organizations: new Map(orgs.map((o) => [o.id, o.name])),
    applications: new Map(apps.map((a) => [a.id, a.name])),
    users: new Map(users.map((u) => [u.id, { displayName: u.display_name, username: u.username }])),
  };
}

/** Requests with their steps and names, as the API shows them. */
export async function presentRows(db: Db, rows: RequestRow[]): Promise<AccessRequestView[]> {
  if (rows.length === 0) return [];
  const steps = await db
    .selectFrom('access_request_steps')
    .selectAll()
    .where(
      'request_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const names = await requestNames(db, rows, steps);
  return rows.map((r) =>
    presentAccessRequest(
      r,
      steps.filter((s) => s.request_id === r.id),
      names,
    ),
  );
}

/** A request with its steps, as the API shows it. */
export async function presentRow(db: Db, row: RequestRow): Promise<AccessRequestView> {
  return (await presentRows(db, [row]))[0]!;
}
