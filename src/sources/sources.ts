import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely, Selectable } from 'kysely';
import { BadRequestError, ConflictError, isUniqueViolation, NotFoundError } from '../errors/index.js';
import {
  cachedRead,
  cursorDate,
  type Database,
  decodeCursor,
  type Page,
  type PageQuery,
  type SourceTable,
  toPage,
} from '../store/index.js';
import { connectorOf } from './connector-for.js';
import type { Connector } from './connectors/connector.js';
import { checkDestination } from './destination.js';
import { presentSource } from './presenters.js';
import type { SourceRuntime } from './runtime.js';
import type { CreateSourceInput, SourceView, UpdateSourceInput } from './schemas.js';
import { sealSecret, splitInput, updatedConfig } from './source-input.js';
import type { SourceDescription, TestResult } from './types.js';

type Db = Kysely<Database>;
type Row = Selectable<SourceTable>;

const duplicate = (error: unknown): never => {
  if (isUniqueViolation(error))
    throw new ConflictError('duplicate_name', 'This organisation already has a source with this name');
  throw error;
};

/** The stored row of a source, or a 404. */
export async function getSourceRow(db: Db, id: string): Promise<Row> {
  const row = await db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('Source');
  return row;
}

/** Registers a database or HTTP JSON API of an organisation; the credentials are sealed before they are stored. */
export async function createSource(
  db: Db,
  runtime: SourceRuntime,
  input: CreateSourceInput & { orgId: string; createdBy?: string | null },
): Promise<SourceView> {
  const org = await db
    .selectFrom('organizations')
    .select('id')
    .where('id', '=', input.orgId)
    .executeTakeFirst();
  if (!org)
    throw new BadRequestError('unknown_organization', 'The organisation does not exist', { field: 'orgId' });
  const id = randomUUID();
  const { config, secret } = splitInput(input);
  checkDestination(runtime.outbound, input.kind, config);
  const sealed = await sealSecret(runtime, id, secret);
  const now = new Date();
  const row = await db
    .insertInto('sources')
    .values({
      id,
      org_id: input.orgId,
      name: input.name,
      kind: input.kind,
      description: input.description,
      config: JSON.stringify(config),
      secret: sealed.secret,
      secret_fields: sealed.fields,
      created_by: input.createdBy ?? null,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch(duplicate);
  return presentSource(row);
}

/** One source, or a 404. */
export async function getSource(db: Db, id: string): Promise<SourceView> {
  return presentSource(await getSourceRow(db, id));
}

/** A source of an organisation by name, for the CLI. */
export async function findSourceByName(
  db: Db,
  orgId: string | undefined,
  name: string,
): Promise<SourceView | undefined> {
  let query = db.selectFrom('sources').selectAll().where('name', '=', name);
  if (orgId) query = query.where('org_id', '=', orgId);
  const rows = await query.limit(2).execute();
  if (rows.length > 1)
    throw new ConflictError('ambiguous_name', 'Several organisations have a source with this name');
  return rows[0] ? presentSource(rows[0]) : undefined;
}

/** An organisation's sources in creation order. */
export async function listSources(db: Db, orgId: string, page: PageQuery): Promise<Page<SourceView>> {
  const after = decodeCursor(page.cursor);
  let query = db
    .selectFrom('sources')
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
  return toPage(rows, page.limit, (r) => ({ key: r.created_at.toISOString(), id: r.id }), presentSource);
}

/** Changes a source's name, options or credentials; its open pool is closed so the next use reconnects. */
export async function updateSource(
  db: Db,
  runtime: SourceRuntime,
  id: string,
  input: UpdateSourceInput,
): Promise<SourceView> {
  const row = await getSourceRow(db, id);
  const { config, secret } = await updatedConfig(runtime, row, input);
  checkDestination(runtime.outbound, row.kind, config);
  const sealed = secret === undefined ? undefined : await sealSecret(runtime, id, secret);
  const updated = await db
    .updateTable('sources')
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      config: JSON.stringify(config),
      ...(sealed && { secret: sealed.secret, secret_fields: sealed.fields }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
    .catch(duplicate);
  if (!updated) throw new NotFoundError('Source');
  await runtime.connectors.close(id);
  return presentSource(updated);
}

/** Deletes a source, closes its pool and removes an uploaded file's Parquet. */
export async function deleteSource(db: Db, runtime: SourceRuntime, id: string): Promise<void> {
  const row = await getSourceRow(db, id);
  await db
    .deleteFrom('sources')
    .where('id', '=', id)
    .execute()
    .catch((error: { code?: string }) => {
      // A catalog resource still bound to the source holds a foreign key to it.
      if (error.code === '23503')
        throw new ConflictError('source_in_use', 'Catalog resources are bound to this source');
      throw error;
    });
  await runtime.connectors.close(id);
  if (row.kind === 'file') await rm(join(runtime.filesDir, id), { recursive: true, force: true });
}

/** The source's connector, opened on first use and shared: the query pipeline reads through it. */
export async function openSourceConnector(db: Db, runtime: SourceRuntime, id: string): Promise<Connector> {
  // Only reads go through here, so the row may come from the read cache; changes use getSourceRow.
  return connectorOf(runtime, await cachedRead(db, `source:${id}`, () => getSourceRow(db, id)));
}

/** Connects to the source and reports who answered; a failure is a 4xx with its code. */
export async function testSource(db: Db, runtime: SourceRuntime, id: string): Promise<TestResult> {
  return (await openSourceConnector(db, runtime, id)).test();
}

/** What the source holds: tables, columns with types, row estimates (metadata only, never rows). */
export async function describeSource(
  db: Db,
  runtime: SourceRuntime,
  id: string,
  options: { schema?: string } = {},
): Promise<SourceDescription> {
  return (await openSourceConnector(db, runtime, id)).describe(options);
}
