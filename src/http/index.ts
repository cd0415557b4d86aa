export { buildApp } from './app.js';
export { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './authenticate.js';
export type { App, AppContext, RouteSummary } from './types.js';
