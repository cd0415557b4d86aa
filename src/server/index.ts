export { backupPlatform } from './backups.js';
export { askServer, CONTROL_SOCKET } from './control.js';
export { dataDirHolder } from './data-dir-lock.js';
export { describeError, exitOnFatal, logFatal, scrub } from './fatal.js';
export { ensureAdministrator, type InitialAdministrator } from './first-start.js';
export { openAuditLog } from './open-audit-log.js';
export {
  assemblePlatform,
  openPlatform,
  openPlatformOn,
  type Platform,
  recoverPlatform,
  sandboxLimits,
} from './open-platform.js';
export { openPlatformStore } from './open-platform-store.js';
export { serve } from './serve.js';
export { configuredTraceSecret } from './trace-secret.js';
export { warningPublisherFrom } from './warning.js';
