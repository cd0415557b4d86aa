import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { BadRequestError, ConflictError, isUniqueViolation, NotFoundError } from '../errors/index.js';
import { hasValidCreditCodeCheck } from '../privacy/index.js';
import type { Database } from '../store/index.js';
import { cursorDate, decodeCursor, type Page, type PageQuery, toPage } from '../store/index.js';
import { presentOrganization } from './presenters.js';
import { isRegionCode } from './regions.js';
import type { CreateOrganizationInput, OrganizationView, UpdateOrganizationInput } from './schemas.js';

type Db = Kysely<Database>;

async function checkOrganizationFields(
  db: Db,
  input: UpdateOrganizationInput,
  kind: string,
  selfId?: string,
) {
  if (input.regionCode !== undefined && !isRegionCode(input.regionCode)) {
    throw new BadRequestError('invalid_region_code', `${input.regionCode} is not a GB/T 2260 division code`, {
      field: 'regionCode',
    });
  }
  if (input.creditCode && !hasValidCreditCodeCheck(input.creditCode)) {
    throw new BadRequestError(
      'invalid_credit_code',
      `${input.creditCode} is not a valid unified social credit code (GB 32100 check character)`,
      { field: 'creditCode' },
    );
  }
  if (kind === 'enterprise' && input.creditCode === null) {
    throw new BadRequestError('credit_code_required', 'An enterprise needs its unified social credit code', {
      field: 'creditCode',
    });
  }
  if (input.parentId) {
    if (input.parentId === selfId) {
      throw new BadRequestError('invalid_parent', 'An organisation cannot be its own parent', {
        field: 'parentId',
      });
    }
    const parent = await db
      .selectFrom('organizations')
      .select('id')
      .where('id', '=', input.parentId)
      .executeTakeFirst();
    if (!parent)
      throw new BadRequestError('unknown_parent', 'The parent organisation does not exist', {
        field: 'parentId',
      });
  }
}

function duplicate(error: unknown): never {
  if (isUniqueViolation(error)) {
    const detail = String((error as { constraint?: string }).constraint ?? '');
    if (detail.includes('credit'))
      throw new ConflictError('duplicate_credit_code', 'Another organisation has this credit code');
    throw new ConflictError('duplicate_name', 'An organisation with this name already exists');
  }
  throw error;
}

/** Registers a member organisation after validating its region, credit code and parent. */
export async function createOrganization(db: Db, input: CreateOrganizationInput): Promise<OrganizationView> {
  const creditCode = input.creditCode ?? null;
  await checkOrganizationFields(db, { ...input, creditCode }, input.kind);
  const row = await db
    .insertInto('organizations')
    .values({
      id: randomUUID(),
      name: input.name,
      kind: input.kind,
      level: input.level,
      region_code: input.regionCode,
      parent_id: input.parentId ?? null,
      credit_code: creditCode,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch(duplicate);
  return presentOrganization(row);
}

/** One organisation, or a 404. */
export async function getOrganization(db: Db, id: string): Promise<OrganizationView> {
  const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('Organisation');
  return presentOrganization(row);
}

/** Finds an organisation by its exact name (CLI convenience). */
export async function findOrganizationByName(db: Db, name: string): Promise<OrganizationView | undefined> {
  const row = await db.selectFrom('organizations').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? presentOrganization(row) : undefined;
}

/** Organisations in creation order, one page at a time, optionally only one kind or region prefix. */
export async function listOrganizations(
  db: Db,
  page: PageQuery,
  filter: { kind?: string; regionPrefix?: string; parentId?: string } = {},
): Promise<Page<OrganizationView>> {
  const after = decodeCursor(page.cursor);
  let query = db
    .selectFrom('organizations')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1);
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.parentId) query = query.where('parent_id', '=', filter.parentId);
  if (filter.regionPrefix)
    query = query.where('region_code', 'like', `${filter.regionPrefix.replace(/\D/g, '')}%`);
  if (after) {
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(cursorDate(after), after.id)),
    );
  }
  const rows = await query.execute();
  return toPage(
    rows,
    page.limit,
    (r) => ({ key: r.created_at.toISOString(), id: r.id }),
    presentOrganization,
  );
}

/** Changes an organisation's fields, validated as on creation. */
export async function updateOrganization(
  db: Db,
  id: string,
  input: UpdateOrganizationInput,
): Promise<OrganizationView> {
  const current = await getOrganization(db, id);
  const kind = input.kind ?? current.kind;
  const creditCode = input.creditCode === undefined ? current.creditCode : input.creditCode;
  await checkOrganizationFields(db, { ...input, creditCode }, kind, id);
  const row = await db
    .updateTable('organizations')
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.kind !== undefined && { kind: input.kind }),
      ...(input.level !== undefined && { level: input.level }),
      ...(input.regionCode !== undefined && { region_code: input.regionCode }),
      ...(input.parentId !== undefined && { parent_id: input.parentId }),
      ...(input.creditCode !== undefined && { credit_code: input.creditCode }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch(duplicate);
  return presentOrganization(row);
}
