import type { FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../errors/index.js';
import { ANONYMOUS, authenticateApiKey, resolveSession, sameSecret } from '../identity/index.js';
import type { Store } from '../store/index.js';

/** Name of the HttpOnly cookie that carries the session token. */
export const SESSION_COOKIE = 'ht_session';
/** Name of the readable cookie that carries the CSRF token for the page's scripts. */
export const CSRF_COOKIE = 'ht_csrf';
/** Header in which cookie-authenticated state-changing requests must echo the CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

/** Public: marked so on the route, the API docs' assets, and unknown routes (which answer 404). */
function isPublic(request: FastifyRequest): boolean {
  const url = request.routeOptions.url;
  return url === undefined || request.routeOptions.config?.public === true || url.startsWith('/api/docs');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// What a session whose password must be changed (等保) may still call: who am I, the change
// itself, signing out, and the platform's health.
const BEFORE_PASSWORD_CHANGE = new Set([
  '/api/health',
  '/api/v1/auth/login',
  '/api/v1/auth/logout',
  '/api/v1/auth/me',
  '/api/v1/auth/password',
]);

// In constant time, so that the token cannot be found a character at a time from response times;
// a header sent twice (an array) is no token.
function csrfMatches(sent: string | string[] | undefined, expected: string): boolean {
  return typeof sent === 'string' && sameSecret(sent, expected);
}

/**
 * Resolves the caller on every request, before the body is read: a Bearer API key or a session
 * cookie. Cookie-authenticated writes must echo the session's CSRF token (double submit), which
 * a cross-site form cannot read. A user whose password someone else set may only change it
 * (403 password_change_required). Non-public routes refuse anonymous callers with 401.
 */
export function authenticate(store: Store) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    request.actor = ANONYMOUS;
    if (request.routeOptions.config?.ownCredentials) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match)
        throw new UnauthorizedError('The Authorization header must be "Bearer ht_…"', 'invalid_api_key');
      request.actor = await authenticateApiKey(store.db, match[1]!);
    } else {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        const session = await resolveSession(store.db, token);
        if (session) {
          request.actor = session.actor;
          request.sessionCsrf = session.csrfToken;
          if (
            !SAFE_METHODS.has(request.method) &&
            !csrfMatches(request.headers[CSRF_HEADER], session.csrfToken)
          ) {
            throw new ForbiddenError('Missing or wrong CSRF token', 'csrf_token_invalid');
          }
          const url = request.routeOptions.url;
          if (session.mustChangePassword && url?.startsWith('/api/') && !BEFORE_PASSWORD_CHANGE.has(url)) {
            throw new ForbiddenError(
              'Change your initial password before anything else (POST /api/v1/auth/password)',
              'password_change_required',
            );
          }
        }
      }
    }
    if (request.actor.kind === 'anonymous' && !isPublic(request)) throw new UnauthorizedError();
  };
}
