export { ensureAdministrator, type InitialAdministrator } from './first-start.js';
export { openPlatformStore } from './open-platform-store.js';
export { serve } from './serve.js';
