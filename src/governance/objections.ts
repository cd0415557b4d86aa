import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { getResource } from '../catalog/index.js';
import { BadRequestError, NotFoundError } from '../errors/index.js';
import { type Actor, type AuthenticatedActor, authorize } from '../identity/index.js';
import type { Caller, QueryContext } from '../query/index.js';
import { notify } from '../sharing/index.js';
import {
  cursorDate,
  type Database,
  decodeCursor,
  type Page,
  type StoredObjectionStep,
  toPage,
} from '../store/index.js';
import { presentObjection, presentObjections } from './objection-presenters.js';
import { checkObjectedRows } from './objection-rows.js';
import type { ObjectionListQuery, ObjectionView, RaiseObjection } from './objection-schemas.js';

type Db = Kysely<Database>;

/** Who did a step, as the history shows it: a person's username, or "application" for a key. */
export function stepActor(actor: AuthenticatedActor): string {
  return actor.kind === 'user' ? actor.username : 'application';
}

/**
 * 提出异议: a consumer reports rows of a resource as wrong. The rows are looked up first through
 * its own read (checkObjectedRows): only rows and items its access lets it read can be objected
 * to. The provider's stewards are notified.
 */
export async function raiseObjection(
  query: QueryContext,
  caller: Caller,
  input: RaiseObjection,
): Promise<ObjectionView> {
  const db = query.store.db;
  const actor = authorize(caller.actor, 'objection.raise');
  const resource = await getResource(db, actor, input.resourceCode);
  if (resource.provider.id === actor.orgId)
    throw new BadRequestError(
      'objection_own_resource',
      'An organisation cannot object to its own resource: correct it at the source',
    );
  // Items by name (信息项) or by the field the rows carry; stored by name.
  const byName = new Map(resource.items.map((i) => [i.name, i]));
  const byField = new Map(resource.items.map((i) => [i.field ?? i.name, i]));
  const items = [...new Set(input.items)].map(
    (n) => byName.get(n) ?? byField.get(n) ?? { name: n, field: n },
  );
  const fields = items.map((i) => i.field ?? i.name);
  const { keys } = await checkObjectedRows(
    query,
    caller,
    resource.code,
    input.keyColumn,
    input.rowKeys,
    fields,
  );
  const id = randomUUID();
  const now = new Date();
  const step: StoredObjectionStep = {
    action: 'raised',
    at: now.toISOString(),
    by: stepActor(actor),
    orgId: actor.orgId,
    text: input.description,
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('objections')
      .values({
        id,
        resource_id: resource.id,
        resource_code: resource.code,
        resource_name: resource.name,
        provider_id: resource.provider.id,
        consumer_id: actor.orgId,
        raised_by: actor.kind === 'user' ? actor.userId : `application:${actor.applicationId}`,
        key_column: input.keyColumn,
        row_keys: JSON.stringify(keys),
        items: JSON.stringify(items.map((i) => i.name)),
        description: input.description,
        expected: input.expected,
        evidence: input.evidence,
        status: 'open',
        created_at: now,
        filed_at: now,
        answered_at: null,
        closed_at: null,
        updated_at: now,
        history: JSON.stringify([step]),
      })
      .execute();
    await trx
      .insertInto('objection_rows')
      .values(
        keys.map((k) => ({
          objection_id: id,
          resource_id: resource.id,
          key_column: input.keyColumn,
          key_value: k,
        })),
      )
      .execute();
    await notify(
      trx,
      { orgId: resource.provider.id, role: 'data_steward' },
      {
        kind: 'objection.raised',
        title: `数据异议：${resource.name}`,
        body: `${keys.length} 条记录被提出异议：${input.description}`,
      },
    );
  });
  return presentObjection(db, await objectionRow(db, id));
}

/** The stored row of an objection, or a 404. */
export async function objectionRow(db: Db, id: string) {
  const row = await db.selectFrom('objections').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('Objection');
  return row;
}

/** The side of an objection the actor's organisation is on, or a 404 when it is on neither. */
export function sideOf(actor: Actor, row: { provider_id: string; consumer_id: string }) {
  const caller = authorize(actor, 'objection.read', {
    orgId: actor.kind !== 'anonymous' && actor.orgId === row.consumer_id ? row.consumer_id : row.provider_id,
    noun: 'Objection',
  });
  return { caller, side: caller.orgId === row.consumer_id ? ('consumer' as const) : ('provider' as const) };
}

/** One objection, to either party. */
export async function getObjection(db: Db, actor: Actor, id: string): Promise<ObjectionView> {
  const row = await objectionRow(db, id);
  sideOf(actor, row);
  return presentObjection(db, row);
}

/** The objections raised by the caller's organisation and against it, newest first, filtered. */
export async function listObjections(
  db: Db,
  actor: Actor,
  filter: ObjectionListQuery,
): Promise<Page<ObjectionView>> {
  const caller = authorize(actor, 'objection.read');
  const after = decodeCursor(filter.cursor);
  let query = db
    .selectFrom('objections')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.role === 'raised') query = query.where('consumer_id', '=', caller.orgId);
  else if (filter.role === 'against') query = query.where('provider_id', '=', caller.orgId);
  else
    query = query.where((eb) =>
      eb.or([eb('consumer_id', '=', caller.orgId), eb('provider_id', '=', caller.orgId)]),
    );
  if (filter.resource) query = query.where('resource_code', '=', filter.resource);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (after)
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(cursorDate(after), after.id)),
    );
  const rows = await query.execute();
  const views = new Map((await presentObjections(db, rows.slice(0, filter.limit))).map((v) => [v.id, v]));
  return toPage(
    rows,
    filter.limit,
    (r) => ({ key: r.created_at.toISOString(), id: r.id }),
    (r) => views.get(r.id)!,
  );
}
