import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config/index.js';
import { UnauthorizedError } from '../../errors/index.js';
import {
  ApplicationSchema,
  getApplication,
  getOrganization,
  getUser,
  LoginLockedError,
  LoginSchema,
  type LoginThrottleSettings,
  login,
  logout,
  OrganizationSchema,
  RoleSchema,
  UserSchema,
  updateUser,
  verifyCurrentPassword,
} from '../../identity/index.js';
import { recordEvent } from '../audit-event.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../authenticate.js';
import type { App, AppContext } from '../types.js';
import { refusals } from './schemas.js';

const MeSchema = z.object({
  kind: z.enum(['user', 'application']),
  user: UserSchema.nullable(),
  application: ApplicationSchema.nullable(),
  organization: OrganizationSchema,
  roles: z.array(RoleSchema),
  csrfToken: z.string().nullable(),
});

function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  csrf: string,
  expires: Date,
) {
  const secure = request.protocol === 'https';
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires });
  reply.setCookie(CSRF_COOKIE, csrf, { httpOnly: false, sameSite: 'lax', secure, path: '/', expires });
}

/** The login lockout's settings. */
function loginThrottle(config: Config): LoginThrottleSettings {
  return {
    account: {
      backoffAfter: config.HUITONG_LOGIN_BACKOFF_AFTER,
      lockAfter: config.HUITONG_LOGIN_LOCK_AFTER,
      lockSeconds: config.HUITONG_LOGIN_LOCK_SECONDS,
    },
    address: {
      backoffAfter: config.HUITONG_LOGIN_ADDRESS_BACKOFF_AFTER,
      lockAfter: config.HUITONG_LOGIN_ADDRESS_LOCK_AFTER,
      lockSeconds: config.HUITONG_LOGIN_LOCK_SECONDS,
    },
    forgetSeconds: config.HUITONG_LOGIN_FORGET_SECONDS,
  };
}

/** Login, logout, who-am-I and password change. */
export async function authRoutes(app: App, { store, audit, config }: AppContext): Promise<void> {
  const throttle = loginThrottle(config);
  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password; sets the session cookie',
        body: LoginSchema,
        response: {
          200: z.object({ user: UserSchema, csrfToken: z.string(), expiresAt: z.iso.datetime() }),
          ...refusals,
          429: refusals[400],
        },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const attempt = { username, password, ip: request.ip, hours: config.HUITONG_SESSION_HOURS, throttle };
      const session = await login(store.db, attempt).catch(async (error: unknown) => {
        const actor = { kind: 'system' as const, id: 'anonymous', orgId: null };
        if (error instanceof LoginLockedError) {
          const data = { username, scope: error.scope, retryAfterSeconds: error.retryAfterSeconds };
          await recordEvent(audit, request, 'auth.locked', data, { actor });
        } else {
          await recordEvent(audit, request, 'auth.login_failed', { username }, { actor });
        }
        throw error;
      });
      await recordEvent(
        audit,
        request,
        'auth.login',
        {},
        {
          actor: { kind: 'user', id: session.user.id, orgId: session.user.orgId },
        },
      );
      setSessionCookies(request, reply, session.token, session.csrfToken, session.expiresAt);
      return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'End the session', response: { 204: z.null() } },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await logout(store.db, token);
      if (request.actor.kind === 'user') await recordEvent(audit, request, 'auth.logout');
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The caller: user or application, organisation, roles',
        response: { 200: MeSchema, ...refusals },
      },
    },
    async (request) => {
      const actor = request.actor;
      if (actor.kind === 'anonymous') throw new UnauthorizedError();
      const organization = await getOrganization(store.db, actor.orgId);
      return {
        kind: actor.kind,
        user: actor.kind === 'user' ? await getUser(store.db, actor.userId) : null,
        application:
          actor.kind === 'application' ? await getApplication(store.db, actor.applicationId) : null,
        organization,
        roles: [...actor.roles],
        csrfToken: request.sessionCsrf ?? null,
      };
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Change one’s own password (ends every session of the user)',
        body: z.strictObject({
          currentPassword: z.string().min(1).max(200),
          newPassword: z.string().min(10).max(200),
        }),
        response: { 204: z.null(), ...refusals },
      },
    },
    async (request, reply) => {
      const actor = request.actor;
      if (actor.kind !== 'user')
        throw new UnauthorizedError('Only a logged-in user has a password', 'not_a_user');
      await verifyCurrentPassword(store.db, actor.userId, request.body.currentPassword);
      await updateUser(store.db, actor.userId, {
        password: request.body.newPassword,
        mustChangePassword: false,
      });
      await recordEvent(audit, request, 'user.password_changed', { userId: actor.userId });
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );
}
