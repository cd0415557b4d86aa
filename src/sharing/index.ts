// Sharing (共享): who may read what. Access requests and their approval, grants with items,
// masks, row filters, periods, quotas and address lists, open data, and the decision
// (`resolveAccess`) that query/ asks on every request. Sharing never reads provider data.
export type { Access, AccessResource } from './access.js';
export { ensureAutoGrant } from './auto-grant.js';
export { type GrantRow, type GrantSide, getGrant, listGrants } from './grants.js';
export { CidrSchema, ipAllowed } from './ip-allow.js';
export { checkItemNames, type ItemFilter, ItemFilterSchema, RowFilterSchema } from './item-filter.js';
export { acceptLicence, hasAcceptedLicence } from './licence.js';
export { defaultMask } from './masks.js';
export { getOpenRelease, openAccess, setOpenRelease } from './open-release.js';
export { presentGrant } from './presenters.js';
export { chargeUsage, checkQuota, type QuotaLeft, type UsageCharge } from './quota.js';
export { type ResolveOptions, resolveAccess } from './resolve-access.js';
export * from './schemas.js';
export { secondsToNextDay, shanghaiDay } from './shanghai-day.js';
export * from './vocab.js';
