import type { Kysely } from 'kysely';
import { ConflictError, NotFoundError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { parseInput } from './parse-input.js';
import { presentResource, type ResourceRow } from './presenters.js';
import { nextSequence, resourceCode } from './provider-codes.js';
import { actorLabel, factsOf, findResourceRow, inTransaction } from './resource-rows.js';
import { refuseWhilePending } from './review-pending.js';
import {
  type ResourceFields,
  type ResourceView,
  type UpdateResourceInput,
  UpdateResourceSchema,
} from './schemas.js';
import { searchDocument } from './search-document.js';
import { checkResourceFields } from './validate.js';
import { canSeeResource } from './visibility.js';

type Db = Kysely<Database>;

/** The row of a resource the actor may manage: 404 when it is not theirs to know of, 403 when they may only read it. */
export async function manageableRow(db: Db, actor: Actor, code: string): Promise<ResourceRow> {
  const row = await findResourceRow(db, code);
  if (!row || !canSeeResource(actor, factsOf(row))) throw new NotFoundError('Resource');
  authorize(actor, 'resource.manage', { orgId: row.provider_id, noun: 'Resource' });
  return row;
}

function fieldsOf(view: ResourceView): ResourceFields {
  return {
    name: view.name,
    classificationCode: view.classification.code,
    providerId: view.provider.id,
    summary: view.summary,
    format: view.format,
    items: view.items.map((i) => ({ ...i, field: i.field ?? undefined })),
    sharingType: view.sharingType,
    sharingConditions: view.sharingConditions,
    sharingMethods: view.sharingMethods,
    legalBasis: view.legalBasis,
    openType: view.openType,
    openConditions: view.openConditions,
    updateCycle: view.updateCycle,
    relatedCodes: view.relatedCodes,
    grade: view.grade,
    gradeLevel: view.gradeLevel,
    tags: view.tags,
    keywords: view.keywords,
    contact: view.contact,
    licence: view.licence,
  };
}

// The date of publication as people in China read it, whatever the server's time zone.
const chinaDate = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);

/** Records the resource as it now stands as its next published version, by `by` (who wrote it). */
async function snapshot(db: Db, id: string, by: string | null, at: Date): Promise<ResourceView> {
  const row = await db
    .updateTable('resources')
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returning('code')
    .executeTakeFirstOrThrow();
  const view = presentResource((await findResourceRow(db, row.code))!);
  await db
    .insertInto('resource_versions')
    .values({
      resource_id: id,
      version: view.version,
      snapshot: JSON.stringify(view),
      published_at: at,
      published_by: by,
    })
    .execute();
  return view;
}

/** A change's whole entry, checked: what `applyUpdate` would write (the catalog review diffs it). */
export async function proposedEntry(db: Db, row: ResourceRow, changes: Partial<ResourceFields>) {
  if (row.status === 'retired')
    throw new ConflictError('resource_retired', 'A retired resource cannot change');
  const fields: ResourceFields = { ...fieldsOf(presentResource(row)), ...changes } as ResourceFields;
  const { classificationName, items } = await checkResourceFields(db, fields);
  if (fields.classificationCode !== row.classification_code && row.status !== 'draft') {
    throw new ConflictError('code_immutable', 'A published resource keeps its code, so its classification', {
      field: 'classificationCode',
    });
  }
  return { fields, items, classificationName };
}

/**
 * Writes a checked change (`proposedEntry`'s rules) to a resource: a draft simply changes (its
 * code follows a new classification); a published one gets a new version by `by`, its code kept.
 * The caller has authorised it: the steward directly, or the catalog reviewer's approval.
 */
export async function applyUpdate(
  trx: Db,
  row: ResourceRow,
  changes: Partial<ResourceFields>,
  by: string | null,
): Promise<ResourceView> {
  const { fields, items, classificationName } = await proposedEntry(trx, row, changes);
  let newCode = row.code;
  if (fields.classificationCode !== row.classification_code) {
    const prefix = `${fields.classificationCode}-${row.provider_code}`;
    if (row.code.startsWith(`${row.classification_code}-${row.provider_code}-`)) {
      newCode = resourceCode(fields.classificationCode, row.provider_code, await nextSequence(trx, prefix));
    }
  }
  const now = new Date();
  await trx
    .updateTable('resources')
    .set({
      code: newCode,
      name: fields.name,
      classification_code: fields.classificationCode,
      summary: fields.summary,
      format: fields.format,
      items: JSON.stringify(items),
      sharing_type: fields.sharingType,
      sharing_conditions: fields.sharingConditions,
      sharing_methods: fields.sharingType === 'not_shared' ? [] : fields.sharingMethods,
      legal_basis: fields.legalBasis,
      open_type: fields.openType,
      open_conditions: fields.openConditions,
      update_cycle: fields.updateCycle,
      related_codes: fields.relatedCodes,
      grade: fields.grade,
      grade_level: fields.grade === 'general' ? (fields.gradeLevel ?? null) : null,
      tags: fields.tags,
      keywords: fields.keywords,
      contact: JSON.stringify(fields.contact),
      licence: fields.licence,
      search_doc: searchDocument({ ...fields, items, classificationName, providerName: row.provider_name }),
      updated_at: now,
    })
    .where('id', '=', row.id)
    .execute();
  if (row.status === 'published') return snapshot(trx, row.id, by, now);
  return presentResource((await findResourceRow(trx, newCode))!);
}

/** Publishes a draft row (the caller has authorised it): version 1, dated today (发布日期). */
export async function applyPublish(trx: Db, row: ResourceRow, by: string | null): Promise<ResourceView> {
  if (row.status !== 'draft') {
    throw new ConflictError(
      `already_${row.status as 'published' | 'retired'}`,
      `The resource is already ${row.status}`,
    );
  }
  const now = new Date();
  await trx
    .updateTable('resources')
    .set({
      status: 'published',
      published_at: now,
      updated_at: now,
      publish_date: row.publish_date ?? chinaDate(now),
    })
    .where('id', '=', row.id)
    .execute();
  return snapshot(trx, row.id, by, now);
}

/**
 * Changes a resource at once. A draft simply changes (its code follows a new classification); a
 * published resource's change is published at once as a new version, and its code stays. Where
 * catalog review is required, the routes submit a published entry's change for review instead.
 */
export async function updateResource(
  db: Db,
  actor: Actor,
  code: string,
  patch: UpdateResourceInput,
): Promise<ResourceView> {
  const changes = parseInput(UpdateResourceSchema, patch);
  return inTransaction(db, async (trx) => {
    const row = await manageableRow(trx, actor, code);
    await refuseWhilePending(trx, row);
    return applyUpdate(trx, row, changes as Partial<ResourceFields>, actorLabel(actor));
  });
}

/** Publishes a draft at once: it becomes version 1, dated today (发布日期), and visible by its sharing and open types. */
export async function publishResource(db: Db, actor: Actor, code: string): Promise<ResourceView> {
  return inTransaction(db, async (trx) => {
    const row = await manageableRow(trx, actor, code);
    await refuseWhilePending(trx, row);
    return applyPublish(trx, row, actorLabel(actor));
  });
}

/** Retires a published resource (下线): it stays readable with its versions, but leaves search and sharing. */
export async function retireResource(db: Db, actor: Actor, code: string): Promise<ResourceView> {
  return inTransaction(db, async (trx) => {
    const row = await manageableRow(trx, actor, code);
    await refuseWhilePending(trx, row);
    if (row.status !== 'published') {
      throw new ConflictError('not_published', 'Only a published resource can be retired');
    }
    const now = new Date();
    await trx
      .updateTable('resources')
      .set({ status: 'retired', retired_at: now, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    return presentResource((await findResourceRow(trx, code))!);
  });
}
