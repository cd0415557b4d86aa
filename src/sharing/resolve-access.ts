import type { Kysely } from 'kysely';
import { canSeeResource } from '../catalog/index.js';
import { type AppError, ForbiddenError, NotFoundError, UnauthorizedError } from '../errors/index.js';
import { type Actor, ANONYMOUS, type AuthenticatedActor, authorize, isAllowed } from '../identity/index.js';
import type { Database } from '../store/index.js';
import type { Access, AccessResource } from './access.js';
import { autoGrantRow, ensureAutoGrant, findAutoGrant } from './auto-grant.js';
import { checkGrant, mostTelling } from './grant-check.js';
import { type GrantRow, heldGrants } from './grants.js';
import { hasAcceptedLicence } from './licence.js';
import { offeredUses } from './methods.js';
import { openAccess } from './open-release.js';

type Db = Kysely<Database>;

/** Options of `resolveAccess`. */
export interface ResolveOptions {
  /** The caller's address, checked against a grant's allow-list. */
  ip: string;
  now?: Date;
  /** Called once when first use of 无条件共享 data creates an automatic grant, to log it. */
  onAutoGrant?: (grant: GrantRow) => Promise<void>;
  /**
   * The request must change nothing (a GET, which a cross-site link can trigger): an automatic
   * grant not created yet is decided on its terms in memory, and stored by a later write request.
   */
  readOnly?: boolean;
  /** The platform's least k of open data (HUITONG_OPEN_DATA_MIN_K), for a release of personal items stored without a gate. */
  openDataMinK?: number;
}

/** The caller's automatic grant: the stored one, else (read-only) its terms unstored, else created. */
async function automaticGrant(
  db: Db,
  actor: AuthenticatedActor,
  resource: AccessResource,
  options: ResolveOptions,
  now: Date,
): Promise<{ grant: GrantRow; stored: boolean }> {
  if (options.readOnly) {
    const existing = await findAutoGrant(db, actor, resource);
    return existing
      ? { grant: existing, stored: true }
      : { grant: autoGrantRow(actor, resource, now), stored: false };
  }
  const { grant, created } = await ensureAutoGrant(db, actor, resource, now);
  if (created) await options.onAutoGrant?.(grant);
  return { grant, stored: true };
}

const facts = (r: AccessResource) => ({
  providerId: r.provider.id,
  status: r.status,
  sharingType: r.sharingType,
  openType: r.openType,
});

/** The provider's own members read everything, unmasked. */
function providerAccess(resource: AccessResource): Access {
  return {
    mode: 'provider',
    resourceCode: resource.code,
    grantId: null,
    purpose: '本单位使用',
    use: 'detail',
    items: resource.items.map((i) => ({ name: i.name, mask: { kind: 'none' } })),
    rowFilter: [],
    quota: null,
    mayExport: true,
    privacyBudget: null,
  };
}

/** Access through a grant: the automatic one of 无条件共享 data, or a held grant of 有条件共享 data. */
async function grantAccess(
  db: Db,
  actor: AuthenticatedActor,
  resource: AccessResource,
  options: ResolveOptions,
  now: Date,
): Promise<Access> {
  if (resource.sharingType === 'unconditional') {
    const { grant, stored } = await automaticGrant(db, actor, resource, options, now);
    // Its uses follow the resource's sharing methods as they are now, also for a grant stored
    // before they changed; an unstored grant has no id to count usage or log against yet.
    const narrowed = { ...grant, ...narrowUses(grant, resource) };
    const outcome = checkGrant(narrowed, resource, options.ip, now);
    if (outcome instanceof Error) throw outcome;
    return stored ? outcome : { ...outcome, grantId: null };
  }
  const grants = await heldGrants(db, actor, resource.id);
  if (grants.length === 0) throw new ForbiddenError('No grant covers this resource', 'no_grant');
  const refusals: AppError[] = [];
  for (const grant of grants) {
    const outcome = checkGrant(grant, resource, options.ip, now);
    if (!(outcome instanceof Error)) return outcome;
    refusals.push(outcome);
  }
  throw mostTelling(refusals)!;
}

/** An automatic grant's uses, never wider than what the resource offers now. */
function narrowUses(grant: GrantRow, resource: AccessResource): Pick<GrantRow, 'use' | 'may_export'> {
  const offered = offeredUses(resource);
  return {
    use: offered.use === 'detail' ? grant.use : offered.use,
    may_export: grant.may_export && offered.mayExport,
  };
}

/** Open-data access: 无条件开放 for anyone, 有条件开放 for an account that accepted the licence. */
async function openAccessFor(
  db: Db,
  actor: Actor,
  resource: AccessResource,
  options: ResolveOptions,
): Promise<Access | null> {
  if (resource.status !== 'published' || resource.openType === 'not_open') return null;
  if (resource.openType === 'conditional') {
    if (actor.kind === 'anonymous') {
      throw new UnauthorizedError('Conditionally open data needs an account and an accepted licence');
    }
    if (!(await hasAcceptedLicence(db, actor, resource.id))) {
      throw new ForbiddenError('Accept the resource’s licence first', 'licence_not_accepted');
    }
  }
  return openAccess(db, resource, options.openDataMinK);
}

const isNoGrant = (error: unknown) => error instanceof ForbiddenError && error.code === 'no_grant';

/**
 * Decides, on every request and without caching, what `actor` may read of `resource` from
 * `ip`: the provider's members everything; others through a grant (automatic for 无条件共享,
 * approved for 有条件共享); anyone open data. 不予共享 and invisible resources are 404s, as if
 * absent. Refusals are 401/403 with codes `no_grant`, `grant_expired`, `grant_not_yet_valid`,
 * `grant_revoked`, `ip_not_allowed`, `core_data_not_releasable`, `licence_not_accepted`,
 * `open_release_has_personal_data`, `resource_retired`.
 */
export async function resolveAccess(
  db: Db,
  actor: Actor,
  resource: AccessResource,
  options: ResolveOptions,
): Promise<Access> {
  const now = options.now ?? new Date();
  if (actor.kind !== 'anonymous' && actor.orgId === resource.provider.id) {
    authorize(actor, 'data.read');
    return providerAccess(resource);
  }
  // Open resources are visible to every account too, whatever their sharing type.
  const visible = canSeeResource(actor, facts(resource)) || canSeeResource(ANONYMOUS, facts(resource));
  if (!visible) throw new NotFoundError('Resource');
  if (resource.status !== 'published') {
    throw new ForbiddenError('The resource is retired; its data is no longer served', 'resource_retired');
  }
  if (actor.kind === 'anonymous') {
    const open = await openAccessFor(db, actor, resource, options);
    if (open) return open;
    throw new UnauthorizedError();
  }
  let refusal: unknown;
  if (resource.sharingType !== 'not_shared' && isAllowed(actor, 'data.read')) {
    try {
      return await grantAccess(db, actor, resource, options, now);
    } catch (error) {
      refusal = error;
    }
  }
  // A caller without a working grant may still read what is open to everyone. Holding no grant at
  // all says less than the open path's refusal: a member who has only to accept the licence of
  // 有条件开放 data is told so (licence_not_accepted), not sent to request a grant.
  const open = await openAccessFor(db, actor, resource, options).catch((error) => {
    throw refusal && !isNoGrant(refusal) ? refusal : error;
  });
  if (open) return open;
  if (refusal) throw refusal;
  authorize(actor, 'data.read');
  throw new NotFoundError('Resource');
}
