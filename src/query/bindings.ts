import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ConflictError } from '../errors/index.js';
import { type BoundColumn, cachedRead, type Database, type SnapshotColumn } from '../store/index.js';

/** Where a resource's rows come from: a table or view of the source, or a SELECT its steward wrote. */
export const BindingFromSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('table'),
    schema: z.string().min(1).max(128).nullish(),
    table: z.string().min(1).max(128),
  }),
  z.strictObject({ kind: z.literal('query'), sql: z.string().min(1).max(100_000) }),
]);
export type BindingFrom = z.infer<typeof BindingFromSchema>;

/**
 * How a bound table's changes are captured for subscriptions when the source has no change log
 * (or the steward prefers polling): the columns that identify a row, and the one that grows with
 * each change. Files and HTTP JSON sources need only the key (each version is diffed by it).
 */
export const BindingCaptureSchema = z.strictObject({
  keyColumns: z.array(z.string().min(1).max(128)).min(1).max(16).describe('source columns identifying a row'),
  incrementalColumn: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe('source column growing with each change (updated time, version, id); SQL polling needs it'),
  keyCheckEvery: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .describe('SQL polling: every how many polls the keys are compared to find deletes (12 when absent)'),
  method: z
    .enum(['log', 'poll'])
    .optional()
    .describe("'poll' polls even a source with a change log (PostgreSQL without logical decoding)"),
});
export type BindingCaptureInput = z.infer<typeof BindingCaptureSchema>;

/** Body of PUT /resources/{code}/binding. */
export const BindResourceSchema = z.strictObject({
  sourceId: z.uuid(),
  from: BindingFromSchema,
  columns: z
    .record(z.string().min(1).max(100), z.string().min(1).max(128))
    .optional()
    .describe('item name → source column; items not named map to their field name, then to their own name'),
  capture: BindingCaptureSchema.optional().describe(
    'change capture for subscriptions: key and incremental column',
  ),
});
export type BindResourceInput = z.infer<typeof BindResourceSchema>;

/** A stored binding. */
export interface Binding {
  resourceId: string;
  sourceId: string;
  from: BindingFrom;
  columns: BoundColumn[];
  snapshot: SnapshotColumn[];
  boundBy: string | null;
  /** The steward's capture settings, when named. */
  capture?: BindingCaptureInput | null;
  updatedAt: Date;
}

const parse = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** The binding of a resource, or undefined. */
export async function findBinding(db: Kysely<Database>, resourceId: string): Promise<Binding | undefined> {
  const row = await db
    .selectFrom('resource_bindings')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    resourceId: row.resource_id,
    sourceId: row.source_id,
    from: parse<BindingFrom>(row.read_from),
    columns: parse<BoundColumn[]>(row.columns),
    snapshot: parse<SnapshotColumn[]>(row.snapshot),
    boundBy: row.bound_by,
    capture: row.capture ? parse<BindingCaptureInput>(row.capture) : null,
    updatedAt: new Date(row.updated_at),
  };
}

/** Which of some resources (by id) are bound to a source: one query, for lists. */
export async function boundResourceIds(db: Kysely<Database>, resourceIds: string[]): Promise<Set<string>> {
  if (resourceIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('resource_bindings')
    .select('resource_id')
    .where('resource_id', 'in', resourceIds)
    .execute();
  return new Set(rows.map((r) => r.resource_id));
}

/**
 * The binding of a resource, or 409 `resource_not_bound`: a resource without data cannot be read.
 * The read path's, so it may come from the read cache; changes read with `findBinding`.
 */
export async function requireBinding(
  db: Kysely<Database>,
  resourceId: string,
  code: string,
): Promise<Binding> {
  const binding = await cachedRead(db, `binding:${resourceId}`, () => findBinding(db, resourceId));
  if (!binding)
    throw new ConflictError('resource_not_bound', `The resource ${code} is not bound to a source yet`);
  return binding;
}

/** Stores (or replaces) a binding. */
export async function saveBinding(db: Kysely<Database>, binding: Omit<Binding, 'updatedAt'>): Promise<void> {
  const now = new Date();
  const values = {
    source_id: binding.sourceId,
    read_from: JSON.stringify(binding.from),
    columns: JSON.stringify(binding.columns),
    snapshot: JSON.stringify(binding.snapshot),
    bound_by: binding.boundBy,
    capture: binding.capture ? JSON.stringify(binding.capture) : null,
    updated_at: now,
  };
  await db
    .insertInto('resource_bindings')
    .values({ resource_id: binding.resourceId, created_at: now, ...values })
    .onConflict((oc) => oc.column('resource_id').doUpdateSet(values))
    .execute();
}

/** Removes a binding. */
export async function deleteBinding(db: Kysely<Database>, resourceId: string): Promise<void> {
  await db.deleteFrom('resource_bindings').where('resource_id', '=', resourceId).execute();
}
