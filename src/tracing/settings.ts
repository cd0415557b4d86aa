import type { Kysely } from 'kysely';
import type { ResourceView } from '../catalog/index.js';
import { BadRequestError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import type { TracingSettings, TracingSettingsInput } from './schemas.js';

type Db = Kysely<Database>;

/** The stored marking settings of a resource (no key and no items when none were set). */
export async function loadTracingSettings(
  db: Db,
  resourceId: string,
): Promise<TracingSettingsInput & { updatedBy: string | null; updatedAt: Date | null }> {
  const rows = await db
    .selectFrom('tracing_items')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .orderBy('item')
    .execute();
  const key = rows.find((r) => r.role === 'key');
  const latest = rows.reduce<(typeof rows)[number] | undefined>(
    (a, r) => (!a || r.updated_at > a.updated_at ? r : a),
    undefined,
  );
  return {
    keyItem: key?.item ?? null,
    items: rows
      .filter((r) => r.role !== 'key')
      .map((r) => ({ item: r.item, kind: r.role as 'number' | 'time', tolerance: r.tolerance ?? 0 })),
    updatedBy: latest?.updated_by ?? null,
    updatedAt: latest?.updated_at ?? null,
  };
}

/** The settings' view for one resource. */
export async function tracingSettingsOf(db: Db, resource: ResourceView): Promise<TracingSettings> {
  const { updatedAt, ...rest } = await loadTracingSettings(db, resource.id);
  return { resource: resource.code, ...rest, updatedAt: updatedAt?.toISOString() ?? null };
}

/** Checks settings against the resource's items: known items, a non-tolerant key, whole seconds. */
export function checkTracingSettings(resource: ResourceView, input: TracingSettingsInput): void {
  const names = new Set(resource.items.map((i) => i.name));
  for (const name of [input.keyItem, ...input.items.map((i) => i.item)]) {
    if (name !== null && !names.has(name))
      throw new BadRequestError('unknown_item', `${resource.code} has no item ${name}`, { item: name });
  }
  const tolerant = input.items.map((i) => i.item);
  if (new Set(tolerant).size !== tolerant.length)
    throw new BadRequestError('duplicate_item', 'An item is listed twice');
  if (tolerant.length > 0 && (input.keyItem === null || tolerant.includes(input.keyItem)))
    throw new BadRequestError(
      'trace_key_required',
      'Tolerant items need a key item that is not itself tolerant',
    );
  for (const i of input.items)
    if (i.kind === 'time' && !Number.isInteger(i.tolerance))
      throw new BadRequestError('bad_request', `The tolerance of ${i.item} (a time) must be whole seconds`);
}

/** Replaces a resource's marking settings (the caller has authorised the steward and audits it). */
export async function saveTracingSettings(
  db: Db,
  resource: ResourceView,
  input: TracingSettingsInput,
  by: string,
): Promise<TracingSettings> {
  checkTracingSettings(resource, input);
  const now = new Date();
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('tracing_items').where('resource_id', '=', resource.id).execute();
    const rows = [
      ...(input.keyItem && input.items.length ? [{ item: input.keyItem, role: 'key', tolerance: null }] : []),
      ...input.items.map((i) => ({ item: i.item, role: i.kind, tolerance: i.tolerance })),
    ].map((r) => ({ ...r, resource_id: resource.id, updated_by: by, updated_at: now }));
    if (rows.length) await tx.insertInto('tracing_items').values(rows).execute();
  });
  return tracingSettingsOf(db, resource);
}
