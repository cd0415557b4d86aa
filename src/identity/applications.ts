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
import { presentApplication } from './presenters.js';
import type { ApplicationView, UpdateApplicationInput } from './schemas.js';

type Db = Kysely<Database>;

const duplicate = (error: unknown): never => {
  if (isUniqueViolation(error))
    throw new ConflictError('duplicate_name', 'This organisation already has an application with this name');
  throw error;
};

/** Registers an application (应用系统) of an organisation. */
export async function createApplication(
  db: Db,
  input: { orgId: string; name: string; description: string },
): Promise<ApplicationView> {
  const org = await db
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', input.orgId)
    .executeTakeFirst();
  if (!org)
    throw new BadRequestError('unknown_organization', 'The organisation does not exist', { field: 'orgId' });
  const row = await db
    .insertInto('applications')
    .values({
      id: randomUUID(),
      org_id: input.orgId,
      name: input.name,
      description: input.description,
      created_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch(duplicate);
  return presentApplication(row);
}

/** One application, or a 404. */
export async function getApplication(db: Db, id: string): Promise<ApplicationView> {
  const row = await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('Application');
  return presentApplication(row);
}

/** An organisation's applications in creation order. */
export async function listApplications(
  db: Db,
  orgId: string,
  page: PageQuery,
): Promise<Page<ApplicationView>> {
  const after = decodeCursor(page.cursor);
  let query = db
    .selectFrom('applications')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1);
  if (after)
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(cursorDate(after), after.id)),
    );
  const rows = await query.execute();
  return toPage(rows, page.limit, (r) => ({ key: r.created_at.toISOString(), id: r.id }), presentApplication);
}

/** Renames or re-describes an application. */
export async function updateApplication(
  db: Db,
  id: string,
  input: UpdateApplicationInput,
): Promise<ApplicationView> {
  const changes = {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.description !== undefined && { description: input.description }),
  };
  // An empty patch changes nothing (RFC 7396); SQL has no UPDATE without a column.
  const row =
    Object.keys(changes).length === 0
      ? await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst()
      : await db
          .updateTable('applications')
          .set(changes)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst()
          .catch(duplicate);
  if (!row) throw new NotFoundError('Application');
  return presentApplication(row);
}
