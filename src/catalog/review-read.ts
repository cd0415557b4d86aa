import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { NotFoundError } from '../errors/index.js';
import { type Actor, authorize, isAllowed } from '../identity/index.js';
import {
  type CatalogChangeTable,
  cursorDate,
  type Database,
  decodeCursor,
  type Page,
  toPage,
} from '../store/index.js';
import type { CatalogChangeView, ChangeListQuery, DiffEntry, RefusalReason } from './review-schemas.js';

type Db = Kysely<Database>;
/** A catalog change as stored. */
export type ChangeRow = Selectable<CatalogChangeTable>;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** A catalog change as the API shows it. */
export function presentChange(row: ChangeRow): CatalogChangeView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    resource: { id: row.resource_id, code: row.resource_code, name: row.resource_name },
    providerId: row.provider_id,
    baseVersion: row.base_version,
    diff: json<DiffEntry[]>(row.diff),
    author: row.author,
    authorOrgId: row.author_org_id,
    submittedAt: iso(row.submitted_at)!,
    decidedAt: iso(row.decided_at),
    decidedBy: row.decided_by,
    reasonCode: row.reason_code as RefusalReason | null,
    comment: row.comment,
    appliedVersion: row.applied_version,
  };
}

/** A change by id, whoever asks (callers authorise); a malformed id is simply not found. */
export async function loadChange(db: Db, id: string): Promise<ChangeRow> {
  const row = z.uuid().safeParse(id).success
    ? await db.selectFrom('catalog_changes').selectAll().where('id', '=', id).executeTakeFirst()
    : undefined;
  if (!row) throw new NotFoundError('Catalog change', 'catalog_change_not_found');
  return row;
}

/**
 * One change with its diff: every catalog reviewer sees it, and the provider's stewards and
 * administrators; to anyone else it does not exist (the same 404 as an unknown id).
 */
export async function getChange(db: Db, actor: Actor, id: string): Promise<CatalogChangeView> {
  authorize(actor, 'catalog_change.read');
  const row = await loadChange(db, id);
  if (!isAllowed(actor, 'catalog_change.read', { orgId: row.provider_id }))
    throw new NotFoundError('Catalog change', 'catalog_change_not_found');
  return presentChange(row);
}

/**
 * Changes oldest first (the review queue's order): a reviewer's over every provider, a
 * steward's over their own organisation's entries.
 */
export async function listChanges(
  db: Db,
  actor: Actor,
  query: ChangeListQuery,
): Promise<Page<CatalogChangeView>> {
  const caller = authorize(actor, 'catalog_change.read');
  const after = decodeCursor(query.cursor);
  let select = db
    .selectFrom('catalog_changes')
    .selectAll()
    .orderBy('submitted_at')
    .orderBy('id')
    .limit(query.limit + 1);
  if (!caller.roles.includes('catalog_reviewer')) select = select.where('provider_id', '=', caller.orgId);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.resourceCode) select = select.where('resource_code', '=', query.resourceCode);
  if (after)
    select = select.where((eb) =>
      eb(eb.refTuple('submitted_at', 'id'), '>', eb.tuple(cursorDate(after), after.id)),
    );
  return toPage(
    await select.execute(),
    query.limit,
    (r) => ({ key: iso(r.submitted_at)!, id: r.id }),
    presentChange,
  );
}
