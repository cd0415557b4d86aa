export { ensureAdministrator, type InitialAdministrator } from './first-start.js';
export { openAuditLog } from './open-audit-log.js';
export { openPlatform, openPlatformOn, type Platform, sandboxLimits } from './open-platform.js';
export { openPlatformStore } from './open-platform-store.js';
export { serve } from './serve.js';
