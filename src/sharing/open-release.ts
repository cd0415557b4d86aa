import type { Kysely } from 'kysely';
import { getResource } from '../catalog/index.js';
import { AppError, BadRequestError, ForbiddenError } from '../errors/index.js';
import { type Actor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import type { Access, AccessResource } from './access.js';
import { refuseCoreInClear } from './grant-check.js';
import { checkItemNames } from './item-filter.js';
import { defaultMask, isClear } from './masks.js';
import {
  DEFAULT_OPEN_DATA_MIN_K,
  proposedQuasiIdentifiers,
  requiredKGate,
  storedKGate,
} from './open-release-k.js';
import { json } from './presenters.js';
import type { GrantItem, KGate, OpenReleaseInput, OpenReleaseView } from './schemas.js';

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

/** What an open release sends out, and the k-anonymity gate its rows must pass. */
export interface OpenReleaseConfig {
  configured: boolean;
  items: GrantItem[];
  kGate: KGate | null;
  /** The gate is the proposal, applied because none was stored with personal items. */
  kGateProposed: boolean;
}

/**
 * The items an open release sends out: those the provider listed (items since removed from the
 * catalog are dropped), or by default every non-personal item, personal ones dropped. A release
 * of personal items stored without a gate is gated by the proposal with `minK`.
 */
export async function openReleaseItems(
  db: Db,
  resource: AccessResource,
  minK: number = DEFAULT_OPEN_DATA_MIN_K,
): Promise<OpenReleaseConfig> {
  const row = await db
    .selectFrom('open_releases')
    .select(['items', 'quasi_identifiers', 'k'])
    .where('resource_id', '=', resource.id)
    .executeTakeFirst();
  if (!row) {
    const items = resource.items
      .filter((i) => !i.personal)
      .map((i) => ({ name: i.name, mask: defaultMask(i) }));
    return { configured: false, items, kGate: null, kGateProposed: false };
  }
  const current = new Set(resource.items.map((i) => i.name));
  const items = json<GrantItem[]>(row.items).filter((i) => current.has(i.name));
  const { gate, proposed } = storedKGate(resource, row, items, minK);
  return { configured: true, items, kGate: gate, kGateProposed: proposed };
}

/**
 * The open-data access to a resource: its released items, no row filter, the per-IP rate limit
 * as its only quota, and the k-anonymity gate (`minK` for a release of personal items without one).
 */
export async function openAccess(
  db: Db,
  resource: AccessResource,
  minK: number = DEFAULT_OPEN_DATA_MIN_K,
): Promise<Access> {
  refuseCoreInClear(resource, 'detail');
  const { items, kGate } = await openReleaseItems(db, resource, minK);
  // A release configured before an item was marked personal must not leak it now.
  refusePersonalInClear(resource, items, 403);
  return openAccessWith(resource, items, kGate);
}

/** The open release of a resource the actor may see, with the gate its reads pass (`minK` the platform's). */
export async function getOpenRelease(
  db: Db,
  actor: Actor,
  code: string,
  minK: number = DEFAULT_OPEN_DATA_MIN_K,
): Promise<OpenReleaseView> {
  const resource = await getResource(db, actor, code);
  const { configured, items, kGate, kGateProposed } = await openReleaseItems(db, resource, minK);
  return {
    resourceCode: resource.code,
    configured,
    items,
    kAnonymity: kGate,
    kAnonymityProposed: kGateProposed,
    proposedQuasiIdentifiers: proposedQuasiIdentifiers(resource),
  };
}

/**
 * Checks an open release before it is stored: `measure` (query/'s k-anonymity check of the rows
 * it would release) refuses it when the rows do not reach k.
 */
export type OpenReleaseCheck = (resource: AccessResource, access: Access) => Promise<void>;

/**
 * Sets which items an open resource releases, how each is masked, and its k-anonymity gate
 * (the provider's steward). A release of personal items must have a gate (`requiredKGate`: the
 * proposal when quasiIdentifiers are omitted, 400 `quasi_identifiers_required` when named as none).
 * With a gate, `check` measures the rows the release would send out and refuses it below k;
 * nothing is stored then.
 */
export async function setOpenRelease(
  db: Db,
  actor: Actor,
  code: string,
  input: OpenReleaseInput,
  options: { minK?: number; check?: OpenReleaseCheck } = {},
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
  const { gate: kGate, proposed } = requiredKGate(
    resource,
    items,
    input,
    options.minK ?? DEFAULT_OPEN_DATA_MIN_K,
  );
  if (kGate && options.check) {
    const access = openAccessWith(resource, items, kGate);
    await options.check(resource, access);
  }
  const now = new Date();
  const by =
    actor.kind === 'user'
      ? `user:${actor.userId}`
      : actor.kind === 'application'
        ? `application:${actor.applicationId}`
        : null;
  const values = {
    items: JSON.stringify(items),
    quasi_identifiers: kGate ? JSON.stringify(kGate.quasiIdentifiers) : null,
    k: kGate?.k ?? null,
    updated_by: by,
    updated_at: now,
  };
  await db
    .insertInto('open_releases')
    .values({ resource_id: resource.id, ...values })
    .onConflict((oc) => oc.column('resource_id').doUpdateSet(values))
    .execute();
  return {
    resourceCode: resource.code,
    configured: true,
    items,
    kAnonymity: kGate,
    kAnonymityProposed: proposed,
    proposedQuasiIdentifiers: proposedQuasiIdentifiers(resource),
  };
}

/** The open access a release would give, for checking it before it is stored. */
function openAccessWith(resource: AccessResource, items: GrantItem[], kGate: KGate | null): Access {
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
    kGate,
  };
}
