import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { BadRequestError } from '../errors/index.js';
import { type Database, decodeCursor, type Page, type PageQuery, toPage } from '../store/index.js';
import { type AuditActor, parseEntry, parseEntryText } from './entry.js';

/** What investigators filter entries by; every field optional, all given ones must hold. */
export const AuditQuerySchema = z.object({
  type: z.union([z.string().max(100), z.array(z.string().max(100)).max(20)]).optional(),
  actorId: z.string().max(200).optional(),
  /** The actor's organisation (for a release: the recipient). */
  orgId: z.string().max(200).optional(),
  /** A catalogue resource code the entry names. */
  resource: z.string().max(200).optional(),
  from: z.coerce.date().optional().describe('inclusive'),
  to: z.coerce.date().optional().describe('exclusive'),
});
export type AuditQuery = z.input<typeof AuditQuerySchema>;

/** One entry as investigators see it: exactly what was hashed. */
export interface AuditEntryView {
  index: number;
  type: string;
  time: string;
  actor: AuditActor;
  requestId: string | null;
  resources: string[];
  ref: number | null;
  data: Record<string, unknown>;
}

/** Presents an entry's canonical bytes. */
export function presentEntry(bytes: Uint8Array | string): AuditEntryView {
  const { index, type, time, actor, requestId, resources, ref, data } = parseEntry(
    typeof bytes === 'string' ? Buffer.from(bytes, 'base64') : bytes,
  );
  return { index, type, time, actor, requestId, resources, ref, data };
}

/**
 * An entry's bytes as text, for readers of many entries: canonical JSON is UTF-8, and text crosses
 * the wire at half the size of bytea's hex form and needs no decoding (5× faster on PGlite).
 */
export const entryText = sql<string>`convert_from(entry, 'UTF8')`;

/** The view of an entry read as text (`entryText`). */
export function presentEntryText(text: string): AuditEntryView {
  const { index, type, time, actor, requestId, resources, ref, data } = parseEntryText(text);
  return { index, type, time, actor, requestId, resources, ref, data };
}

/** The selection of entries matching a query, before paging. */
export function selectEntries(db: Kysely<Database>, query: AuditQuery) {
  const q = AuditQuerySchema.parse(query);
  let select = db
    .selectFrom('audit_entries')
    .select(['idx', sql<string>`encode(entry, 'base64')`.as('entry')]);
  // One GIN index over tags serves every filter: all given tags must be present…
  const required: string[] = [];
  if (q.orgId) required.push(`org:${q.orgId}`);
  if (q.resource) required.push(`resource:${q.resource}`);
  if (required.length > 0) select = select.where(sql<boolean>`tags @> ${required}::text[]`);
  // …and at least one of each group of alternatives (an id of any actor kind; any listed type).
  if (q.actorId) {
    const kinds = ['user', 'application', 'system'].map((k) => `actor:${k}:${q.actorId}`);
    select = select.where(sql<boolean>`tags && ${kinds}::text[]`);
  }
  if (q.type !== undefined) {
    const types = (Array.isArray(q.type) ? q.type : [q.type]).map((t) => `type:${t}`);
    select = select.where(sql<boolean>`tags && ${types}::text[]`);
  }
  if (q.from) select = select.where('time', '>=', q.from);
  if (q.to) select = select.where('time', '<', q.to);
  return select;
}

/** The index after which a page starts. */
export function cursorIndex(cursor: string | undefined): number {
  const position = decodeCursor(cursor);
  if (!position) return -1;
  const index = Number(position.id);
  if (!Number.isSafeInteger(index) || index < 0)
    throw new BadRequestError('invalid_cursor', 'The cursor is not one this server issued');
  return index;
}

/** Entries matching a query, in index order (or newest first with `desc`), a page at a time. */
export async function listEntries(
  db: Kysely<Database>,
  query: AuditQuery,
  page: PageQuery,
  order: 'asc' | 'desc' = 'asc',
): Promise<Page<AuditEntryView>> {
  const after = cursorIndex(page.cursor);
  let select = selectEntries(db, query);
  // Newest first pages backwards: a cursor is the last index shown, the next page lies below it.
  if (order === 'desc') {
    if (after >= 0) select = select.where('idx', '<', after);
  } else select = select.where('idx', '>', after);
  const rows = await select
    .orderBy('idx', order)
    .limit(page.limit + 1)
    .execute();
  return toPage(
    rows,
    page.limit,
    (r) => ({ key: String(r.idx), id: String(r.idx) }),
    (r) => presentEntry(r.entry),
  );
}

/** One entry by index, or undefined. */
export async function getEntry(db: Kysely<Database>, index: number): Promise<AuditEntryView | undefined> {
  const row = await db
    .selectFrom('audit_entries')
    .select('entry')
    .where('idx', '=', index)
    .executeTakeFirst();
  return row ? presentEntry(row.entry) : undefined;
}

/** Every entry matching a query, in index order, read in batches (for CSV export). */
export async function* streamEntries(
  db: Kysely<Database>,
  query: AuditQuery,
  batch = 1000,
): AsyncGenerator<AuditEntryView> {
  let after = -1;
  for (;;) {
    const rows = await selectEntries(db, query)
      .where('idx', '>', after)
      .orderBy('idx')
      .limit(batch)
      .execute();
    for (const row of rows) yield presentEntry(row.entry);
    if (rows.length < batch) return;
    after = Number(rows.at(-1)!.idx);
  }
}
