import { randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { ConflictError, NotFoundError } from '../../errors/index.js';
import { type AuthenticatedActor, identityNames } from '../../identity/index.js';
import type { Database, DemandTable } from '../../store/index.js';
import type { DemandEventView, DemandStatus, DemandView } from './schemas.js';

type Db = Kysely<Database>;
/** A stored demand. */
export type DemandRow = Selectable<DemandTable>;
/** What happened to a demand, as `demand_events.kind` stores it. */
export type DemandEventKind = DemandEventView['kind'];

/** Runs `work` in a transaction unless already in one. */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute((trx: Transaction<Database>) => work(trx));
}

/** The demand, or a 404. */
export async function demandRow(db: Db, id: string): Promise<DemandRow> {
  const row = await db.selectFrom('demands').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('Demand');
  return row;
}

/** Refuses a step the demand's status does not allow (409 `demand_state_conflict`). */
export function requireStatus(row: DemandRow, allowed: readonly DemandStatus[], action: string): void {
  if (!allowed.includes(row.status as DemandStatus)) {
    throw new ConflictError('demand_state_conflict', `A ${row.status} demand cannot be ${action}`, {
      status: row.status,
      action,
    });
  }
}

/**
 * Moves a demand from one of `from` to its next state, guarded by the status read, so that two
 * people acting at once cannot both win: the loser gets the same 409 as a late one.
 */
export async function moveDemand(
  trx: Db,
  row: DemandRow,
  from: readonly DemandStatus[],
  changes: Partial<Omit<DemandRow, 'id' | 'items'>>,
  action: string,
): Promise<void> {
  requireStatus(row, from, action);
  const moved = await trx
    .updateTable('demands')
    .set({ ...changes, updated_at: changes.updated_at ?? new Date() })
    .where('id', '=', row.id)
    .where('status', '=', row.status)
    .returning('id')
    .executeTakeFirst();
  if (!moved) requireStatus(await demandRow(trx, row.id), from, action);
}

/** Writes one step of a demand's history. */
export async function addEvent(
  trx: Db,
  demandId: string,
  kind: DemandEventKind,
  actor: AuthenticatedActor | 'system',
  fields: { orgId?: string | null; resourceId?: string | null; text?: string; at?: Date } = {},
): Promise<void> {
  await trx
    .insertInto('demand_events')
    .values({
      id: randomUUID(),
      demand_id: demandId,
      kind,
      actor_id: actor === 'system' ? 'system' : actor.kind === 'user' ? actor.userId : actor.applicationId,
      actor_org_id: actor === 'system' ? null : actor.orgId,
      org_id: fields.orgId ?? null,
      resource_id: fields.resourceId ?? null,
      text: fields.text ?? '',
      at: fields.at ?? new Date(),
    })
    .execute();
}

const STEP_ORDER = ['created', 'assigned', 'declined', 'answered', 'refused', 'withdrawn', 'closed'];
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Presents demands with the names of their organisations and answers; `withHistory` adds the steps. */
export async function presentDemands(db: Db, rows: DemandRow[], withHistory = false): Promise<DemandView[]> {
  if (rows.length === 0) return [];
  const events = withHistory
    ? await db
        .selectFrom('demand_events')
        .selectAll()
        .where(
          'demand_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('at')
        .execute()
    : [];
  // Steps taken in the same instant (an answer that closes at once) in the order they happen.
  events.sort(
    (a, b) => a.at.getTime() - b.at.getTime() || STEP_ORDER.indexOf(a.kind) - STEP_ORDER.indexOf(b.kind),
  );
  const resourceIds = rows.map((r) => r.answer_resource_id).filter((id): id is string => id !== null);
  // The entry's current code and name: a draft's code may change until it is published.
  const resources = resourceIds.length
    ? await db
        .selectFrom('resources')
        .select(['id', 'code', 'name', 'status'])
        .where('id', 'in', resourceIds)
        .execute()
    : [];
  const names = await identityNames(db, {
    organizations: [
      ...rows.flatMap((r) => [r.requester_org_id, r.suggested_org_id, r.assigned_org_id]),
      ...events.map((e) => e.org_id),
    ].filter((id): id is string => id !== null),
    users: events.map((e) => e.actor_id),
  });
  const org = (id: string | null) => (id ? { id, name: names.organizations[id] ?? id } : null);
  const byResource = new Map(resources.map((r) => [r.id, r]));
  return rows.map((r) => {
    const resource = r.answer_resource_id ? byResource.get(r.answer_resource_id) : undefined;
    return {
      id: r.id,
      title: r.title,
      description: r.description,
      purpose: r.purpose,
      legalBasis: r.legal_basis,
      items: r.items,
      status: r.status as DemandStatus,
      requester: org(r.requester_org_id)!,
      suggestedOrganization: org(r.suggested_org_id),
      assignedOrganization: org(r.assigned_org_id),
      assignedAt: iso(r.assigned_at),
      answer: r.answer_kind
        ? {
            kind: r.answer_kind as 'existing_resource' | 'new_entry' | 'refusal',
            resource: resource ? { code: resource.code, name: resource.name, status: resource.status } : null,
            text: r.answer_text ?? '',
          }
        : null,
      answeredAt: iso(r.answered_at),
      closedAt: iso(r.closed_at),
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
      history: events
        .filter((e) => e.demand_id === r.id)
        .map((e) => ({
          kind: e.kind as DemandEventKind,
          at: e.at.toISOString(),
          actor: e.actor_id === 'system' ? 'system' : (names.users[e.actor_id] ?? e.actor_id),
          organization: org(e.org_id),
          text: e.text,
        })),
    };
  });
}

/** The organisations whose members hold the platform administrator's role (to tell them of new demands). */
export async function platformAdminOrgs(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('org_id')
    .distinct()
    .where(sql<boolean>`'platform_admin' = any(roles)`)
    .execute();
  return rows.map((r) => r.org_id);
}
