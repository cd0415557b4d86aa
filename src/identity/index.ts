export { type Actor, ANONYMOUS, type AuthenticatedActor, hasRole } from './actor.js';
export {
  apiKeyId,
  authenticateApiKey,
  createApiKey,
  getApiKey,
  listApiKeys,
  looksLikeApiKey,
  type NewApiKey,
  revokeApiKey,
  setApiKeySuspended,
} from './api-keys.js';
export { createApplication, getApplication, listApplications, updateApplication } from './applications.js';
export { type Action, authorize, isAllowed, type Target } from './authorize.js';
export { addressKey, type LoginLimits, type LoginThrottleSettings } from './login-throttle.js';
export { type IdentityNames, identityNames, type KeyHolder, keyHolders, type NameQuery } from './names.js';
export {
  createOrganization,
  findOrganizationByName,
  getOrganization,
  listOrganizations,
  updateOrganization,
} from './organizations.js';
export { isRegionCode, regionChildren, regionFullName } from './regions.js';
export { EXCLUSIVE_ROLES, KEY_ROLES, ROLE_LABELS, ROLES, type Role, RoleSchema } from './roles.js';
export * from './schemas.js';
export { applicationSalt, type ScramVerifier, scramVerifier } from './scram.js';
export {
  type LoginAttempt,
  LoginLockedError,
  login,
  logout,
  type NewSession,
  resolveSession,
  verifyCurrentPassword,
} from './sessions.js';
export { sameSecret } from './tokens.js';
export { createUser, getUser, listUsers, updateUser } from './users.js';
export {
  admitWireLogin,
  authenticateWirePassword,
  matchScramProof,
  type ScramCandidate,
  scramCandidates,
  settleWireLogin,
  type WireLogin,
  wireActor,
} from './wire-login.js';
