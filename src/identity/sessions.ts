import type { Kysely } from 'kysely';
import { UnauthorizedError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import type { Actor } from './actor.js';
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

/** Checks a username and password and opens a session; one error for every failure. */
export async function login(db: Db, username: string, password: string, hours: number): Promise<NewSession> {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const ok = await verifyPassword(row?.password_hash, password);
  if (!row || !ok || row.disabled)
    throw new UnauthorizedError('Wrong username or password', 'invalid_credentials');
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
): Promise<{ actor: Extract<Actor, { kind: 'user' }>; csrfToken: string } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.org_id',
      'users.username',
      'users.roles',
      'users.disabled',
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
