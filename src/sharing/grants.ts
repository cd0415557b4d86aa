import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { ForbiddenError, NotFoundError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import {
  cursorDate,
  type Database,
  decodeCursor,
  type GrantTable,
  type Page,
  type PageQuery,
  toPage,
} from '../store/index.js';
import { presentGrants } from './grant-names.js';
import type { GrantView } from './schemas.js';

type Db = Kysely<Database>;
/** A stored grant. */
export type GrantRow = Selectable<GrantTable>;

/** Inserts a grant row with a fresh id and timestamps. */
export async function insertGrant(
  db: Db,
  values: Omit<Insertable<GrantTable>, 'id' | 'created_at' | 'updated_at'>,
  now = new Date(),
): Promise<GrantRow> {
  return db
    .insertInto('grants')
    .values({ ...values, id: randomUUID(), created_at: now, updated_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A grant row by id, or a 404. */
export async function grantRow(db: Db, id: string): Promise<GrantRow> {
  const row = await db.selectFrom('grants').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('Grant');
  return row;
}

/**
 * A grant the actor may see, or a 404: its consumer organisation sees it (an application's key
 * only its own application's grants), and so does its provider organisation.
 */
export async function visibleGrantRow(
  db: Db,
  actor: Actor,
  id: string,
  action: 'grant.read' | 'grant.manage' = 'grant.read',
): Promise<GrantRow> {
  const row = await grantRow(db, id);
  const consumer = actor.kind !== 'anonymous' && actor.orgId === row.consumer_org_id;
  if (!consumer) {
    authorize(actor, action, { orgId: row.provider_id, noun: 'Grant' });
    return row;
  }
  authorize(actor, 'grant.read', { orgId: row.consumer_org_id, noun: 'Grant' });
  if (actor.kind === 'application' && row.application_id !== actor.applicationId)
    throw new NotFoundError('Grant');
  // The holder may read its grant but only the provider changes it.
  if (action === 'grant.manage') throw new ForbiddenError('Only the provider changes a grant');
  return row;
}

/** One grant the actor may see. */
export async function getGrant(db: Db, actor: Actor, id: string): Promise<GrantView> {
  const [view] = await presentGrants(db, [await visibleGrantRow(db, actor, id)]);
  return view!;
}

/** Which side's grants to list: those the caller's organisation holds, or those it gave. */
export type GrantSide = 'consumer' | 'provider';

/** Grants of the caller's organisation, as consumer or provider, oldest first. */
export async function listGrants(
  db: Db,
  actor: Actor,
  side: GrantSide,
  page: PageQuery,
  filter: { resourceCode?: string } = {},
): Promise<Page<GrantView>> {
  const caller = authorize(actor, 'grant.read');
  const after = decodeCursor(page.cursor);
  let query = db
    .selectFrom('grants')
    .selectAll()
    .where(side === 'consumer' ? 'consumer_org_id' : 'provider_id', '=', caller.orgId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1);
  if (side === 'consumer' && caller.kind === 'application') {
    query = query.where('application_id', '=', caller.applicationId);
  }
  if (filter.resourceCode) query = query.where('resource_code', '=', filter.resourceCode);
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(cursorDate(after), after.id)),
    );
  }
  const rows = await query.execute();
  const views = new Map((await presentGrants(db, rows.slice(0, page.limit))).map((v) => [v.id, v]));
  return toPage(
    rows,
    page.limit,
    (r) => ({ key: r.created_at.toISOString(), id: r.id }),
    (r) => views.get(r.id)!,
  );
}

/**
 * The grants a caller holds on a resource: an application's own, or — for a person — any of its
 * organisation's (its applications' and the organisation's automatic one). Newest first.
 */
export async function heldGrants(db: Db, actor: Exclude<Actor, { kind: 'anonymous' }>, resourceId: string) {
  let query = db
    .selectFrom('grants')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .where('consumer_org_id', '=', actor.orgId)
    .orderBy('created_at', 'desc');
  if (actor.kind === 'application') query = query.where('application_id', '=', actor.applicationId);
  return query.execute();
}
