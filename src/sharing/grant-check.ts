import { type AppError, ForbiddenError } from '../errors/index.js';
import type { Access, AccessResource } from './access.js';
import type { GrantRow } from './grants.js';
import { ipAllowed } from './ip-allow.js';
import { parseStoredFilter } from './item-filter.js';
import { json, privacyBudgetOf, quotaOf, sandboxNoiseOf } from './presenters.js';
import type { GrantItem } from './schemas.js';
import type { AccessUse } from './vocab.js';

// When a caller holds several grants and none works, the refusal names the most telling one:
// a wrong address before a closed period before a withdrawn grant.
const RANK = [
  'ip_not_allowed',
  'core_data_not_releasable',
  'grant_not_yet_valid',
  'grant_expired',
  'grant_revoked',
];

/** Of several refusals, the one to report. */
export function mostTelling(errors: readonly AppError[]): AppError | undefined {
  return [...errors].sort((a, b) => RANK.indexOf(a.code) - RANK.indexOf(b.code))[0];
}

/** Core data (核心数据) never leaves in clear: only aggregates and verification are possible. */
export function refuseCoreInClear(resource: AccessResource, use: AccessUse): void {
  if (resource.grade === 'core' && use === 'detail') {
    throw new ForbiddenError(
      'Core data never leaves in clear; only aggregates or verification may be granted',
      'core_data_not_releasable',
    );
  }
}

/**
 * The access a grant gives now from `ip`, or the refusal: suspended or revoked, outside its
 * period, from an address not on its list, core data in clear. Items the catalog no longer has
 * are dropped.
 */
export function checkGrant(
  grant: GrantRow,
  resource: AccessResource,
  ip: string,
  now: Date,
): Access | AppError {
  if (grant.status === 'suspended' || grant.status === 'revoked') {
    return new ForbiddenError(`The grant is ${grant.status}`, 'grant_revoked');
  }
  if (new Date(grant.valid_from) > now) {
    return new ForbiddenError('The grant is not valid yet', 'grant_not_yet_valid');
  }
  if (grant.valid_until !== null && new Date(grant.valid_until) <= now) {
    return new ForbiddenError('The grant has expired', 'grant_expired');
  }
  if (!ipAllowed(grant.allowed_ips, ip)) {
    return new ForbiddenError('The grant does not allow calls from this address', 'ip_not_allowed');
  }
  const use = grant.use as AccessUse;
  try {
    refuseCoreInClear(resource, use);
  } catch (error) {
    return error as AppError;
  }
  const current = new Set(resource.items.map((i) => i.name));
  const items = json<GrantItem[]>(grant.items).filter((i) => current.has(i.name));
  return {
    mode: 'grant',
    resourceCode: resource.code,
    grantId: grant.id,
    purpose: grant.purpose,
    use,
    items,
    rowFilter: parseStoredFilter(grant.row_filter),
    quota: quotaOf(grant),
    mayExport: grant.may_export,
    privacyBudget: privacyBudgetOf(grant),
    sandboxNoise: use === 'sandbox' ? sandboxNoiseOf(grant) : null,
  };
}
