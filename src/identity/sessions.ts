import type { Kysely } from 'kysely';
import { TooManyRequestsError, UnauthorizedError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import type { Actor } from './actor.js';
import {
  admitLoginAttempt,
  type LoginThrottleSettings,
  loginThrottleKeys,
  settleLoginSuccess,
  type ThrottleBlock,
} from './login-throttle.js';
import { verifyPassword } from './passwords.js';
import { presentUser } from './presenters.js';
import type { Role } from './roles.js';
import type { UserView } from './schemas.js';
import { hashToken, randomToken } from './tokens.js';

type Db = Kysely<Database>;

/** A new browser session: the token goes into an HttpOnly cookie, the CSRF token to the page. */
export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: Date;
  user: UserView;
}

/** A login attempt: the credentials, where it comes from, and the lockout that applies. */
export interface LoginAttempt {
  username: string;
  password: string;
  /** The client's address (X-Forwarded-For only from a trusted proxy). */
  ip: string;
  /** Session lifetime. */
  hours: number;
  throttle: LoginThrottleSettings;
}

/**
 * 429 `login_locked`: too many failed logins for this username or from this address. The same
 * answer whether or not the account exists, and whichever counter blocks (`scope` is for the
 * audit log only); the password was not checked, so it reveals nothing about it either.
 */
export class LoginLockedError extends TooManyRequestsError {
  constructor(
    readonly scope: ThrottleBlock['scope'],
    retryAfterSeconds: number,
  ) {
    super('Too many failed logins; try again later', retryAfterSeconds, 'login_locked');
  }
}

/**
 * Checks a username and password and opens a session; one error for every wrong credential.
 * The attempt is counted before the password is checked (and given back when it succeeds), so
 * that parallel guesses meet the lockout too.
 */
export async function login(db: Db, attempt: LoginAttempt): Promise<NewSession> {
  const { username, password, throttle } = attempt;
  const keys = loginThrottleKeys(username, attempt.ip);
  const block = await admitLoginAttempt(db, keys, throttle);
  if (block)
    throw new LoginLockedError(
      block.scope,
      Math.max(1, Math.ceil((block.until.getTime() - Date.now()) / 1000)),
    );
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const ok = await verifyPassword(row?.password_hash, password);
  if (!row || !ok || row.disabled)
    throw new UnauthorizedError('Wrong username or password', 'invalid_credentials');
  await settleLoginSuccess(db, keys, throttle);
  const hours = attempt.hours;
  const token = randomToken();
  const csrfToken = randomToken(24);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  await db
    .insertInto('sessions')
    .values({
      token_hash: hashToken(token),
      user_id: row.id,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  await db.updateTable('users').set({ last_login_at: now }).where('id', '=', row.id).execute();
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  return { token, csrfToken, expiresAt, user: presentUser({ ...row, last_login_at: now }) };
}

/** The actor behind a session cookie and the session's CSRF token, or undefined when it is not valid. */
export async function resolveSession(
  db: Db,
  token: string,
): Promise<
  { actor: Extract<Actor, { kind: 'user' }>; csrfToken: string; mustChangePassword: boolean } | undefined
> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.org_id',
      'users.username',
      'users.roles',
      'users.disabled',
      'users.must_change_password',
      'sessions.csrf_token',
      'sessions.expires_at',
    ])
    .where('sessions.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row || row.disabled || new Date(row.expires_at) <= new Date()) return undefined;
  return {
    actor: {
      kind: 'user',
      userId: row.id,
      orgId: row.org_id,
      username: row.username,
      roles: row.roles as Role[],
    },
    csrfToken: row.csrf_token,
    mustChangePassword: row.must_change_password,
  };
}

/** Ends a session. */
export async function logout(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Throws 401 unless `password` is the user's current password. */
export async function verifyCurrentPassword(db: Db, userId: string, password: string): Promise<void> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!(await verifyPassword(row?.password_hash, password))) {
    throw new UnauthorizedError('The current password is wrong', 'invalid_credentials');
  }
}
