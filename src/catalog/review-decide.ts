import type { Kysely } from 'kysely';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors/index.js';
import { type Actor, authorize, isAllowed } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { applyPublish, applyUpdate } from './lifecycle.js';
import { parseInput } from './parse-input.js';
import { actorLabel, inTransaction, selectResources } from './resource-rows.js';
import { type ChangeRow, loadChange, presentChange } from './review-read.js';
import {
  ApproveChangeSchema,
  type CatalogChangeView,
  type RefuseChangeInput,
  RefuseChangeSchema,
} from './review-schemas.js';
import type { CatalogNotify } from './review-submit.js';
import type { ResourceFields, ResourceView } from './schemas.js';

type Db = Kysely<Database>;

const decided = () =>
  new ConflictError('catalog_change_decided', 'The catalog change has already been decided or withdrawn');

/**
 * The change, for a decision by the actor: only catalog reviewers (people) decide, and never on
 * a change they wrote themselves (职责分离, 403 own_catalog_change).
 */
async function forDecision(db: Db, actor: Actor, id: string): Promise<{ row: ChangeRow; reviewer: string }> {
  const reviewer = authorize(actor, 'catalog_change.decide');
  const row = await loadChange(db, id);
  const label = actorLabel(reviewer)!;
  if (row.author === label)
    throw new ForbiddenError('No one reviews a catalog change they submitted', 'own_catalog_change');
  if (row.status !== 'pending') throw decided();
  return { row, reviewer: label.slice('user:'.length) };
}

// Moves a pending change to its outcome; none when another decision got there first (409).
async function settle(
  trx: Db,
  id: string,
  values: Partial<Pick<ChangeRow, 'status' | 'decided_by' | 'reason_code' | 'comment'>>,
): Promise<ChangeRow> {
  const row = await trx
    .updateTable('catalog_changes')
    .set({ ...values, decided_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (!row) throw decided();
  return row;
}

// The author hears of the decision: the person who wrote it, or (a key's change) the provider's stewards.
async function tellAuthor(trx: Db, notify: CatalogNotify, row: ChangeRow, what: string): Promise<void> {
  const to = row.author_user_id
    ? { orgId: row.author_org_id, userId: row.author_user_id }
    : { orgId: row.provider_id, role: 'data_steward' };
  await notify(trx, to, {
    kind: `catalog_change.${row.status}`,
    title: `目录${row.kind === 'publish' ? '发布' : '变更'}${what}：${row.resource_name}`,
    body: row.comment ? `${row.resource_code}：${row.comment}` : row.resource_code,
  });
}

/**
 * Approves a pending change: it is applied exactly as a steward's publish or change applies at
 * once (a new version, by its author; search and DCAT follow), and the author is told.
 */
export async function approveChange(
  db: Db,
  actor: Actor,
  id: string,
  body: { comment?: string },
  notify: CatalogNotify,
): Promise<{ change: CatalogChangeView; resource: ResourceView }> {
  const { comment } = parseInput(ApproveChangeSchema, body);
  const { row, reviewer } = await forDecision(db, actor, id);
  return inTransaction(db, async (trx) => {
    await settle(trx, id, { status: 'approved', decided_by: reviewer, comment });
    const current = await selectResources(trx)
      .where('resources.id', '=', row.resource_id)
      .executeTakeFirstOrThrow();
    const resource =
      row.kind === 'publish'
        ? await applyPublish(trx, current, row.author)
        : await applyUpdate(trx, current, row.proposed as Partial<ResourceFields>, row.author);
    const done = await trx
      .updateTable('catalog_changes')
      .set({ applied_version: resource.version, resource_code: resource.code })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await tellAuthor(trx, notify, done, '已通过审核');
    return { change: presentChange(done), resource };
  });
}

/** Refuses a pending change with a coded reason (`other` with a comment); the live entry stays as it was. */
export async function refuseChange(
  db: Db,
  actor: Actor,
  id: string,
  body: RefuseChangeInput,
  notify: CatalogNotify,
): Promise<CatalogChangeView> {
  const { reasonCode, comment } = parseInput(RefuseChangeSchema, body);
  if (!reasonCode)
    throw new BadRequestError('refusal_reason_required', 'A refusal needs a reason code', {
      field: 'reasonCode',
    });
  if (reasonCode === 'other' && !comment)
    throw new BadRequestError('refusal_reason_required', 'A refusal for another reason needs a comment', {
      field: 'comment',
    });
  const { reviewer } = await forDecision(db, actor, id);
  return inTransaction(db, async (trx) => {
    const done = await settle(trx, id, {
      status: 'refused',
      decided_by: reviewer,
      reason_code: reasonCode,
      comment,
    });
    await tellAuthor(trx, notify, done, '被退回');
    return presentChange(done);
  });
}

/** The provider's steward (or administrator) takes a pending change back; the entry stays as it was. */
export async function withdrawChange(db: Db, actor: Actor, id: string): Promise<CatalogChangeView> {
  authorize(actor, 'catalog_change.withdraw');
  const row = await loadChange(db, id);
  // Another organisation's change does not exist for its stewards (the same 404 as an unknown id).
  if (!isAllowed(actor, 'catalog_change.withdraw', { orgId: row.provider_id }))
    throw new NotFoundError('Catalog change', 'catalog_change_not_found');
  if (row.status !== 'pending') throw decided();
  return presentChange(await settle(db, id, { status: 'withdrawn' }));
}
