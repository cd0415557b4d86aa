// Sharing (共享): who may read what. Access requests and their approval, grants with items,
// masks, row filters, periods, quotas and address lists, open data, and the decision
// (`resolveAccess`) that query/ asks on every request. Sharing never reads provider data.
export type { Access, AccessResource } from './access.js';
export {
  createAccessRequest,
  getAccessRequest,
  listAccessRequests,
  type RequestScope,
  stepsForGrade,
  withdrawAccessRequest,
} from './access-requests.js';
export { type ApprovalOutcome, approveAccessRequest, rejectAccessRequest } from './approval.js';
export { autoGrantRow, ensureAutoGrant, findAutoGrant } from './auto-grant.js';
export { changeGrantStatus, type GrantChange, setGrantSuspendedByPlatform } from './grant-status.js';
export { type GrantRow, type GrantSide, getGrant, listGrants } from './grants.js';
export { CidrSchema, ipAllowed } from './ip-allow.js';
export { checkItemNames, type ItemFilter, ItemFilterSchema, RowFilterSchema } from './item-filter.js';
export { acceptLicence, hasAcceptedLicence } from './licence.js';
export { defaultMask } from './masks.js';
export { checkSharingMethod, type DeliveryMethod, methodOfFormat, offeredUses } from './methods.js';
export {
  listNotifications,
  markNotificationRead,
  type NewNotification,
  notify,
  type Recipient,
} from './notifications.js';
export { grantToOdrl } from './odrl.js';
export { getOpenRelease, type OpenReleaseCheck, openAccess, setOpenRelease } from './open-release.js';
export { checkKGate, DEFAULT_OPEN_DATA_MIN_K, proposedQuasiIdentifiers } from './open-release-k.js';
export { presentGrant } from './presenters.js';
export { type BudgetLeft, privacyBudgetLeft, spendPrivacyBudget } from './privacy-budget.js';
export {
  grantPrivacyBudget,
  lowerPrivacyBudget,
  type PrivacyBudgetState,
  PrivacyBudgetStateSchema,
} from './privacy-budget-view.js';
export {
  chargeUsage,
  checkQuota,
  type QuotaLeft,
  reserveUsage,
  settlement,
  settleUsage,
  type UsageCharge,
  type UsageReservation,
} from './quota.js';
export {
  type RequestStats,
  RequestStatsSchema,
  requestStats,
  type StatsScope,
  StatsScopeSchema,
} from './request-stats.js';
export { type ResolveOptions, resolveAccess } from './resolve-access.js';
export * from './schemas.js';
export { secondsToNextDay, shanghaiDay } from './shanghai-day.js';
export { type DayRange, grantUsage, organizationUsage } from './usage.js';
export {
  checkPerItem,
  claimDigests,
  countVerification,
  type VerificationLimits,
  verificationConsumer,
} from './verification-limit.js';
export * from './vocab.js';
