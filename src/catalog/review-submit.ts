import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { BadRequestError, ConflictError } from '../errors/index.js';
import type { Actor, AuthenticatedActor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { applyPublish, applyUpdate, manageableRow, proposedEntry } from './lifecycle.js';
import { parseInput } from './parse-input.js';
import type { ResourceRow } from './presenters.js';
import { actorLabel, inTransaction } from './resource-rows.js';
import { diffEntries, writtenEntry } from './review-diff.js';
import { refuseWhilePending } from './review-pending.js';
import { type ChangeRow, presentChange } from './review-read.js';
import type { CatalogChangeView, DiffEntry } from './review-schemas.js';
import {
  type ResourceFields,
  type ResourceView,
  type UpdateResourceInput,
  UpdateResourceSchema,
} from './schemas.js';

type Db = Kysely<Database>;

/** To whom a catalog notification goes: one person, or a role of an organisation (sharing's `notify`). */
export type CatalogRecipient = { orgId: string; userId: string } | { orgId: string; role: string };
/** Leaves a notification (the sharing module's `notify`, passed in: the catalog does not import sharing). */
export type CatalogNotify = (
  db: Db,
  to: CatalogRecipient,
  message: { kind: string; title: string; body: string },
) => Promise<void>;

/** How a steward's publish or change went: applied at once, or waiting for catalog review. */
export type Outcome = { applied: ResourceView } | { pending: CatalogChangeView };

/** Whether changes of published entries and publications wait for the catalog reviewer. */
export interface ReviewSetting {
  review: boolean;
  notify: CatalogNotify;
}

// Every catalog reviewer who can sign in: each is told of a new change in the queue.
async function tellReviewers(db: Db, notify: CatalogNotify, row: ChangeRow): Promise<void> {
  const reviewers = await db
    .selectFrom('users')
    .select(['id', 'org_id'])
    .where(sql<boolean>`${'catalog_reviewer'} = ANY(roles)`)
    .where('disabled', '=', false)
    .execute();
  const what = row.kind === 'publish' ? '发布' : '变更';
  for (const r of reviewers) {
    await notify(
      db,
      { orgId: r.org_id, userId: r.id },
      {
        kind: 'catalog_change.submitted',
        title: `目录${what}待审核：${row.resource_name}`,
        body: `${row.resource_code}（${row.kind === 'publish' ? 'publication' : 'change'} of the catalog entry waits for review）`,
      },
    );
  }
}

// Files the change as pending; a change already pending (a race past refuseWhilePending) is a 409.
async function file(
  trx: Db,
  actor: AuthenticatedActor,
  row: ResourceRow,
  kind: 'publish' | 'update',
  proposed: Partial<ResourceFields>,
  diff: DiffEntry[],
): Promise<ChangeRow> {
  const inserted = await trx
    .insertInto('catalog_changes')
    .values({
      id: randomUUID(),
      resource_id: row.id,
      resource_code: row.code,
      resource_name: row.name,
      provider_id: row.provider_id,
      kind,
      status: 'pending',
      base_version: row.version,
      proposed: JSON.stringify(proposed),
      diff: JSON.stringify(diff),
      author: actorLabel(actor)!,
      author_user_id: actor.kind === 'user' ? actor.userId : null,
      author_org_id: actor.orgId,
      submitted_at: new Date(),
    })
    .onConflict((oc) => oc.column('resource_id').where('status', '=', 'pending').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!inserted)
    throw new ConflictError(
      'catalog_change_pending',
      'A change of this resource already waits for catalog review',
    );
  return inserted;
}

/**
 * A steward's change of a resource. A draft simply changes; a published entry's change, where
 * review is required, waits as a pending change with its field-by-field diff (a change that
 * changes nothing is a 400 no_change) — else it is published at once as a new version.
 */
export async function requestUpdate(
  db: Db,
  actor: Actor,
  code: string,
  patch: UpdateResourceInput,
  setting: ReviewSetting,
): Promise<Outcome> {
  const changes = parseInput(UpdateResourceSchema, patch) as Partial<ResourceFields>;
  return inTransaction(db, async (trx) => {
    const row = await manageableRow(trx, actor, code);
    await refuseWhilePending(trx, row);
    if (!setting.review || row.status !== 'published')
      return { applied: await applyUpdate(trx, row, changes, actorLabel(actor)) };
    const now = await proposedEntry(trx, row, {});
    const next = await proposedEntry(trx, row, changes);
    const diff = diffEntries(writtenEntry(now.fields, now.items), writtenEntry(next.fields, next.items));
    if (diff.length === 0)
      throw new BadRequestError('no_change', 'The change leaves the published entry as it is');
    const filed = await file(trx, actor as AuthenticatedActor, row, 'update', changes, diff);
    await tellReviewers(trx, setting.notify, filed);
    return { pending: presentChange(filed) };
  });
}

/**
 * A steward's publication of a draft: at once when review is off, else a pending change that
 * shows the reviewer the whole entry (every field, `before` null). The entry is checked now, so
 * that a reviewer never reads one the catalog would refuse.
 */
export async function requestPublish(
  db: Db,
  actor: Actor,
  code: string,
  setting: ReviewSetting,
): Promise<Outcome> {
  return inTransaction(db, async (trx) => {
    const row = await manageableRow(trx, actor, code);
    await refuseWhilePending(trx, row);
    if (!setting.review) return { applied: await applyPublish(trx, row, actorLabel(actor)) };
    if (row.status !== 'draft') {
      throw new ConflictError(
        `already_${row.status as 'published' | 'retired'}`,
        `The resource is already ${row.status}`,
      );
    }
    const entry = await proposedEntry(trx, row, {});
    const filed = await file(
      trx,
      actor as AuthenticatedActor,
      row,
      'publish',
      {},
      diffEntries(null, writtenEntry(entry.fields, entry.items)),
    );
    await tellReviewers(trx, setting.notify, filed);
    return { pending: presentChange(filed) };
  });
}
