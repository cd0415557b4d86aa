import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { BadRequestError, ConflictError, isUniqueViolation, NotFoundError } from '../errors/index.js';
import {
  cursorDate,
  type Database,
  decodeCursor,
  type Page,
  type PageQuery,
  toPage,
} from '../store/index.js';
import { accountThrottleKey } from './login-throttle.js';
import { hashPassword } from './passwords.js';
import { presentUser } from './presenters.js';
import { conflictingRoles, type Role } from './roles.js';
import type { CreateUserInput, UpdateUserInput, UserView } from './schemas.js';
import { storeScramVerifier } from './scram.js';

type Db = Kysely<Database>;

function checkRoles(roles: readonly Role[]): void {
  const conflict = conflictingRoles(roles);
  if (conflict.length > 0) {
    throw new BadRequestError(
      'conflicting_roles',
      `Separation of duties (三员分立): one person cannot hold ${conflict.join(' and ')}`,
      { field: 'roles' },
    );
  }
}

/**
 * Creates a user in an existing organisation with an argon2id password hash. `mustChangePassword`
 * (false unless given) makes the first sign-in end at the password change (the API's default).
 */
export async function createUser(db: Db, input: CreateUserInput): Promise<UserView> {
  const roles = [...new Set(input.roles)];
  checkRoles(roles);
  const org = await db
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', input.orgId)
    .executeTakeFirst();
  if (!org)
    throw new BadRequestError('unknown_organization', 'The organisation does not exist', { field: 'orgId' });
  const passwordHash = await hashPassword(input.password);
  const row = await db
    .insertInto('users')
    .values({
      id: randomUUID(),
      org_id: input.orgId,
      username: input.username,
      display_name: input.displayName,
      email: input.email ?? null,
      password_hash: passwordHash,
      roles,
      must_change_password: input.mustChangePassword ?? false,
      created_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((error: unknown) => {
      if (isUniqueViolation(error))
        throw new ConflictError('duplicate_username', `The username ${input.username} is taken`);
      throw error;
    });
  await storeScramVerifier(db, 'user', row.id, row.username, input.password);
  return presentUser(row);
}

/** Internal: the user row with its organisation, for authorisation before a change. */
export async function getUser(db: Db, id: string): Promise<UserView> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('User');
  return presentUser(row);
}

/** Users, optionally of one organisation, in creation order. */
export async function listUsers(
  db: Db,
  page: PageQuery,
  filter: { orgId?: string } = {},
): Promise<Page<UserView>> {
  const after = decodeCursor(page.cursor);
  let query = db
    .selectFrom('users')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1);
  if (filter.orgId) query = query.where('org_id', '=', filter.orgId);
  if (after)
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(cursorDate(after), after.id)),
    );
  const rows = await query.execute();
  return toPage(rows, page.limit, (r) => ({ key: r.created_at.toISOString(), id: r.id }), presentUser);
}

/** Changes a user's name, e-mail, password, roles or disabled flag; a disabled user's sessions end. */
export async function updateUser(db: Db, id: string, input: UpdateUserInput): Promise<UserView> {
  if (input.roles) checkRoles(input.roles);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const changes = {
    ...(input.displayName !== undefined && { display_name: input.displayName }),
    ...(input.email !== undefined && { email: input.email }),
    ...(input.roles !== undefined && { roles: [...new Set(input.roles)] }),
    ...(input.disabled !== undefined && { disabled: input.disabled }),
    ...(passwordHash !== undefined && { password_hash: passwordHash }),
    ...(input.mustChangePassword !== undefined && { must_change_password: input.mustChangePassword }),
  };
  return db.transaction().execute(async (tx) => {
    // An empty patch changes nothing (RFC 7396); SQL has no UPDATE without a column.
    const row =
      Object.keys(changes).length === 0
        ? await tx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
        : await tx.updateTable('users').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw new NotFoundError('User');
    if (input.disabled || passwordHash !== undefined || input.roles !== undefined) {
      await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
    }
    // A new password (set by an administrator, or by the user) lifts the account's login lock.
    if (passwordHash !== undefined)
      await tx.deleteFrom('login_throttle').where('key', '=', accountThrottleKey(row.username)).execute();
    if (input.password) await storeScramVerifier(tx, 'user', row.id, row.username, input.password);
    return presentUser(row);
  });
}
