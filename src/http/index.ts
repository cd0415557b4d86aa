export { buildApp } from './app.js';
export { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './authenticate.js';
export type { App, AppContext, DemoStatus, RouteSummary } from './types.js';
