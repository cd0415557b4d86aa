import type { Kysely } from 'kysely';
import { NotFoundError } from '../errors/index.js';
import type { Actor } from '../identity/index.js';
import { cachedRead, type Database } from '../store/index.js';
import type { ResourceRow } from './presenters.js';
import { canSeeResource } from './visibility.js';
import type { OpenType, ResourceStatus, SharingType } from './vocab.js';

type Db = Kysely<Database>;

// Every column but search_doc: the tsvector is only searched, and sending it back as text with
// every read cost more than the rest of the row.
const READ_COLUMNS = [
  'id',
  'code',
  'name',
  'classification_code',
  'provider_id',
  'provider_name',
  'provider_code',
  'provider_region',
  'provider_level',
  'summary',
  'format',
  'items',
  'sharing_type',
  'sharing_conditions',
  'sharing_methods',
  'legal_basis',
  'open_type',
  'open_conditions',
  'update_cycle',
  'publish_date',
  'related_codes',
  'grade',
  'grade_level',
  'tags',
  'keywords',
  'contact',
  'licence',
  'status',
  'version',
  'created_by',
  'created_at',
  'updated_at',
  'published_at',
  'retired_at',
] as const satisfies ReadonlyArray<Exclude<keyof ResourceRow, 'classification_name'>>;

/** Resources joined with their classification's name: the one way rows are read. */
export function selectResources(db: Db) {
  return db
    .selectFrom('resources')
    .innerJoin('classifications', 'classifications.code', 'resources.classification_code')
    .select(READ_COLUMNS.map((c) => `resources.${c}` as const))
    .select('classifications.name as classification_name');
}

/** A resource row by code, whoever asks (callers check visibility or authorisation). */
export async function findResourceRow(db: Db, code: string): Promise<ResourceRow | undefined> {
  return selectResources(db).where('resources.code', '=', code).executeTakeFirst();
}

/** The visibility facts of a row. */
export function factsOf(row: ResourceRow) {
  return {
    providerId: row.provider_id,
    status: row.status as ResourceStatus,
    sharingType: row.sharing_type as SharingType,
    openType: row.open_type as OpenType,
  };
}

/**
 * A resource row the actor may see, or a 404 (absent and invisible are indistinguishable). Reads
 * only, so it may come from the read cache; changes read their row with `findResourceRow`.
 */
export async function visibleResourceRow(db: Db, actor: Actor, code: string): Promise<ResourceRow> {
  const row = await cachedRead(db, `resource:${code}`, () => findResourceRow(db, code));
  if (!row || !canSeeResource(actor, factsOf(row))) throw new NotFoundError('Resource');
  return row;
}

/** Who did it, as recorded on versions: `user:<id>` or `application:<id>`. */
export function actorLabel(actor: Actor): string | null {
  if (actor.kind === 'user') return `user:${actor.userId}`;
  if (actor.kind === 'application') return `application:${actor.applicationId}`;
  return null;
}

/** Runs `work` in a transaction, or in the caller's when `db` already is one (bulk import). */
export function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
