import { type Kysely, sql } from 'kysely';
import { isReportable, resourceViewsById } from '../catalog/index.js';
import type { Database } from '../store/index.js';
import type { ReportedChange } from './catalog-schema.js';

type Db = Kysely<Database>;

/**
 * The highest change sequence below which every change is committed. Sequences are taken inside
 * the writing transactions, so a later number can commit before an earlier one; a cursor moved
 * past a number still in flight would skip it for ever. A SHARE lock on the two tables the
 * sequence numbers waits for the writers in flight (each holds ROW EXCLUSIVE until it commits)
 * and is released at once; a writer that starts later takes a higher number.
 */
export async function committedHighWater(db: Db): Promise<number> {
  return db.transaction().execute(async (tx) => {
    await sql`SET LOCAL lock_timeout = '2s'`.execute(tx);
    await sql`LOCK TABLE federation_catalog_changes, federation_catalog_entries IN SHARE MODE`.execute(tx);
    const { rows } = await sql<{ hw: string | number | null }>`select greatest(
        (select max(seq) from federation_catalog_changes),
        (select max(seq) from federation_catalog_entries)) as hw`.execute(tx);
    return Number(rows[0]?.hw ?? 0);
  });
}

/**
 * The changes to report after `cursor` up to `highWater`, oldest first, at most `limit`: this
 * node's own resources (published and shared or open as an upsert; once published and no longer
 * so as a retirement; never-published drafts not at all) and the entries its children reported
 * (relayed with their origin node). Returns them and the cursor they bring the parent to.
 */
export async function pendingChanges(
  db: Db,
  selfNodeId: string,
  cursor: number,
  highWater: number,
  limit: number,
): Promise<{ changes: ReportedChange[]; to: number }> {
  const own = await db
    .selectFrom('federation_catalog_changes')
    .select(['resource_id', 'seq'])
    .where('seq', '>', cursor)
    .where('seq', '<=', highWater)
    .orderBy('seq')
    .limit(limit)
    .execute();
  const relayed = await db
    .selectFrom('federation_catalog_entries')
    .select(['origin_node_id', 'resource_id', 'status', 'view', 'seq'])
    .where('seq', '>', cursor)
    .where('seq', '<=', highWater)
    .orderBy('seq')
    .limit(limit)
    .execute();
  const merged = [
    ...own.map((r) => ({ seq: Number(r.seq), own: r, relayed: undefined })),
    ...relayed.map((r) => ({ seq: Number(r.seq), own: undefined, relayed: r })),
  ]
    .sort((a, b) => a.seq - b.seq)
    .slice(0, limit);
  // A full batch ends at its last change; otherwise every change up to the high water is in it.
  const to = merged.length === limit ? merged[merged.length - 1]!.seq : highWater;
  const views = new Map(
    (
      await resourceViewsById(
        db,
        merged.flatMap((m) => (m.own ? [m.own.resource_id] : [])),
      )
    ).map((v) => [v.id, v]),
  );
  const changes = merged.flatMap((m): ReportedChange[] => {
    if (m.relayed) {
      const r = m.relayed;
      if (r.status !== 'published')
        return [{ op: 'retire', seq: m.seq, originNodeId: r.origin_node_id, resourceId: r.resource_id }];
      const resource = typeof r.view === 'string' ? JSON.parse(r.view) : r.view;
      return [{ op: 'upsert', seq: m.seq, originNodeId: r.origin_node_id, resource }];
    }
    const view = views.get(m.own!.resource_id);
    if (!view) return [];
    if (isReportable(view)) return [{ op: 'upsert', seq: m.seq, originNodeId: selfNodeId, resource: view }];
    // Drafts never published were never reported: nothing to withdraw, nothing of them sent.
    if (view.publishedAt === null) return [];
    return [{ op: 'retire', seq: m.seq, originNodeId: selfNodeId, resourceId: view.id }];
  });
  return { changes, to };
}

/**
 * After a restore from a backup the change sequence may stand below the cursor the parent
 * acknowledged (the sequence is not an identity column, and the restore's trigger renumbers the
 * resources from wherever it stands): every change would then hide below the cursor. Moves the
 * sequence to the cursor and renumbers every entry above it, so that the whole catalog is reported
 * again (the parent takes what is newer and leaves the rest).
 */
export async function resequenceAbove(db: Db, cursor: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await sql`SELECT setval('catalog_change_seq', ${cursor})`.execute(tx);
    await sql`UPDATE federation_catalog_changes SET seq = nextval('catalog_change_seq')`.execute(tx);
    await sql`UPDATE federation_catalog_entries SET seq = nextval('catalog_change_seq')`.execute(tx);
  });
}
