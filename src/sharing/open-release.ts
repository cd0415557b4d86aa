import type { Kysely } from 'kysely';
import { getResource } from '../catalog/index.js';
import { AppError, BadRequestError, ForbiddenError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import type { Access, AccessResource } from './access.js';
import { refuseCoreInClear } from './grant-check.js';
import { checkItemNames } from './item-filter.js';
import { defaultMask, isClear } from './masks.js';
import { json } from './presenters.js';
import type { GrantItem, OpenReleaseInput, OpenReleaseView } from './schemas.js';

type Db = Kysely<Database>;

/** Refuses a release in which a personal item would go out in clear. */
function refusePersonalInClear(
  resource: AccessResource,
  items: readonly GrantItem[],
  status: 400 | 403,
): void {
  const personal = new Set(resource.items.filter((i) => i.personal).map((i) => i.name));
  const clear = items.filter((i) => personal.has(i.name) && isClear(i.mask)).map((i) => i.name);
  if (clear.length === 0) return;
  const message = `Personal items cannot be released openly in clear: ${clear.join(', ')}`;
  const code = 'open_release_has_personal_data';
  throw status === 400
    ? new BadRequestError(code, message, { items: clear })
    : new AppError(403, code, message, { items: clear });
}

/**
 * The items an open release sends out: those the provider listed (items since removed from the
 * catalog are dropped), or by default every non-personal item, personal ones dropped.
 */
export async function openReleaseItems(
  db: Db,
  resource: AccessResource,
): Promise<{ configured: boolean; items: GrantItem[] }> {
  const row = await db
    .selectFrom('open_releases')
    .select('items')
    .where('resource_id', '=', resource.id)
    .executeTakeFirst();
  if (!row) {
    const items = resource.items
      .filter((i) => !i.personal)
      .map((i) => ({ name: i.name, mask: defaultMask(i) }));
    return { configured: false, items };
  }
  const current = new Set(resource.items.map((i) => i.name));
  return { configured: true, items: json<GrantItem[]>(row.items).filter((i) => current.has(i.name)) };
}

/** The open-data access to a resource: its released items, no row filter, the per-IP rate limit as its only quota. */
export async function openAccess(db: Db, resource: AccessResource): Promise<Access> {
  refuseCoreInClear(resource, 'detail');
  const { items } = await openReleaseItems(db, resource);
  // A release configured before an item was marked personal must not leak it now.
  refusePersonalInClear(resource, items, 403);
  return {
    mode: 'open',
    resourceCode: resource.code,
    grantId: null,
    purpose: '数据开放',
    use: 'detail',
    items,
    rowFilter: [],
    quota: null,
    mayExport: true,
    privacyBudget: null,
  };
}

/** The open release of a resource the actor may see. */
export async function getOpenRelease(db: Db, actor: Actor, code: string): Promise<OpenReleaseView> {
  const resource = await getResource(db, actor, code);
  return { resourceCode: resource.code, ...(await openReleaseItems(db, resource)) };
}

/** Sets which items an open resource releases and how each is masked (the provider's steward). */
export async function setOpenRelease(
  db: Db,
  actor: Actor,
  code: string,
  input: OpenReleaseInput,
): Promise<OpenReleaseView> {
  const resource = await getResource(db, actor, code);
  authorize(actor, 'resource.manage', { orgId: resource.provider.id, noun: 'Resource' });
  checkItemNames(
    input.items.map((i) => i.name),
    resource.items.map((i) => i.name),
    'items',
  );
  const byName = new Map(resource.items.map((i) => [i.name, i]));
  const items = input.items.map((i) => ({ name: i.name, mask: i.mask ?? defaultMask(byName.get(i.name)!) }));
  refusePersonalInClear(resource, items, 400);
  if (resource.grade === 'core') {
    throw new ForbiddenError('Core data is never released openly', 'core_data_not_releasable');
  }
  const now = new Date();
  const by =
    actor.kind === 'user'
      ? `user:${actor.userId}`
      : actor.kind === 'application'
        ? `application:${actor.applicationId}`
        : null;
  await db
    .insertInto('open_releases')
    .values({ resource_id: resource.id, items: JSON.stringify(items), updated_by: by, updated_at: now })
    .onConflict((oc) =>
      oc.column('resource_id').doUpdateSet({ items: JSON.stringify(items), updated_by: by, updated_at: now }),
    )
    .execute();
  return { resourceCode: resource.code, configured: true, items };
}
