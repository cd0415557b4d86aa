import { type Kysely, sql } from 'kysely';
import { isReportable, type ResourceView, reportedSearchDocument } from '../catalog/index.js';
import { AppError } from '../errors/index.js';
import type { Database } from '../store/index.js';
import { checkOwnership } from './catalog-ownership.js';
import type { CatalogAck, CatalogReport, ReportedChange } from './catalog-schema.js';
import type { FederationConfig, FederationNode } from './config-schema.js';

type Db = Kysely<Database>;
type Upsert = Extract<ReportedChange, { op: 'upsert' }>;

const keyOf = (c: ReportedChange) => `${c.originNodeId} ${c.op === 'upsert' ? c.resource.id : c.resourceId}`;

/** The last change of each entry in the batch (a sender should send one; a second is not applied twice). */
function lastPerEntry(changes: ReportedChange[]): ReportedChange[] {
  const last = new Map<string, ReportedChange>();
  for (const c of changes) if ((last.get(keyOf(c))?.seq ?? -1) < c.seq) last.set(keyOf(c), c);
  return [...last.values()];
}

const row = (c: Upsert, via: string, now: Date) => {
  const v: ResourceView = c.resource;
  return {
    origin_node_id: c.originNodeId,
    resource_id: v.id,
    via_node_id: via,
    status: 'published',
    code: v.code,
    name: v.name,
    provider_id: v.provider.id,
    provider_name: v.provider.name,
    classification_code: v.classification.code,
    sharing_type: v.sharingType,
    open_type: v.openType,
    grade: v.grade,
    format: v.format,
    update_cycle: v.updateCycle,
    provider_region: v.provider.regionCode,
    provider_level: v.provider.level,
    licence: v.licence,
    tags: v.tags,
    view: JSON.stringify(v),
    search_doc: reportedSearchDocument(v, c.originNodeId),
    published_at: v.publishedAt,
    updated_at: v.updatedAt,
    created_at: v.createdAt,
    received_at: now,
    source_seq: c.seq,
    seq: sql<string>`nextval('catalog_change_seq')` as unknown as number,
  };
};

async function upsertAll(tx: Db, changes: Upsert[], via: string, now: Date): Promise<number> {
  let applied = 0;
  for (let i = 0; i < changes.length; i += 100) {
    const rows = await tx
      .insertInto('federation_catalog_entries')
      .values(changes.slice(i, i + 100).map((c) => row(c, via, now)))
      .onConflict((oc) =>
        oc
          .columns(['origin_node_id', 'resource_id'])
          .doUpdateSet((eb) => ({
            via_node_id: eb.ref('excluded.via_node_id'),
            status: eb.ref('excluded.status'),
            code: eb.ref('excluded.code'),
            name: eb.ref('excluded.name'),
            provider_id: eb.ref('excluded.provider_id'),
            provider_name: eb.ref('excluded.provider_name'),
            classification_code: eb.ref('excluded.classification_code'),
            sharing_type: eb.ref('excluded.sharing_type'),
            open_type: eb.ref('excluded.open_type'),
            grade: eb.ref('excluded.grade'),
            format: eb.ref('excluded.format'),
            update_cycle: eb.ref('excluded.update_cycle'),
            provider_region: eb.ref('excluded.provider_region'),
            provider_level: eb.ref('excluded.provider_level'),
            licence: eb.ref('excluded.licence'),
            tags: eb.ref('excluded.tags'),
            view: eb.ref('excluded.view'),
            search_doc: eb.ref('excluded.search_doc'),
            published_at: eb.ref('excluded.published_at'),
            updated_at: eb.ref('excluded.updated_at'),
            created_at: eb.ref('excluded.created_at'),
            received_at: eb.ref('excluded.received_at'),
            source_seq: eb.ref('excluded.source_seq'),
            seq: eb.ref('excluded.seq'),
          }))
          // A change already applied (a batch sent again) changes nothing, not even the sequence.
          .where(sql<boolean>`federation_catalog_entries.source_seq < excluded.source_seq
            or federation_catalog_entries.via_node_id <> excluded.via_node_id`),
      )
      .returning('resource_id')
      .execute();
    applied += rows.length;
  }
  return applied;
}

async function retireAll(tx: Db, changes: ReportedChange[], via: string, now: Date): Promise<number> {
  let applied = 0;
  for (const c of changes) {
    if (c.op !== 'retire') continue;
    const done = await tx
      .updateTable('federation_catalog_entries')
      .set({
        status: 'retired',
        via_node_id: via,
        received_at: now,
        source_seq: c.seq,
        seq: sql<string>`nextval('catalog_change_seq')` as unknown as number,
      })
      .where('origin_node_id', '=', c.originNodeId)
      .where('resource_id', '=', c.resourceId)
      .where('status', '=', 'published')
      .returning('resource_id')
      .execute();
    applied += done.length;
  }
  return applied;
}

/**
 * Applies a child's report in one transaction: refused whole (nothing applied) when it claims
 * what is not the child's; otherwise each entry upserted or retired unless already at that change,
 * the child's cursor and last synchronisation recorded. A batch sent again changes nothing.
 */
export async function applyReport(
  db: Db,
  selfNodeId: string,
  config: FederationConfig,
  sender: FederationNode,
  report: CatalogReport,
  now: Date = new Date(),
): Promise<CatalogAck> {
  for (const c of report.changes)
    if (c.op === 'upsert' && !isReportable(c.resource))
      throw new AppError(400, 'bad_request', 'A report carries only published, shared or open entries', {
        code: c.resource.code,
      });
  return db.transaction().execute(async (tx) => {
    await tx
      .insertInto('federation_catalog_sync')
      .values({ node_id: sender.nodeId, cursor: 0, last_synced_at: now, last_batch_entries: 0 })
      .onConflict((c) => c.column('node_id').doNothing())
      .execute();
    const sync = await tx
      .selectFrom('federation_catalog_sync')
      .select('cursor')
      .where('node_id', '=', sender.nodeId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const cursor = Number(sync.cursor);
    // Applied entry by entry (an entry already at that change is left alone), not gated on the
    // cursor: a batch sent again is then a no-op, and one the parent lost (restored from a backup)
    // is taken again.
    const changes = lastPerEntry(report.changes);
    await checkOwnership(tx, config, sender, changes);
    const upserts = changes.filter((c): c is Upsert => c.op === 'upsert');
    const upserted = await upsertAll(tx, upserts, sender.nodeId, now);
    const retired = await retireAll(tx, changes, sender.nodeId, now);
    // The report's terms, appended to the index's pending list, merged into it at once and in bulk
    // (migration 0034): far cheaper than term by term, and no search scans a pending list after.
    if (upserted > 0)
      await sql`SELECT gin_clean_pending_list('federation_catalog_entries_search'::regclass)`.execute(tx);
    await tx
      .updateTable('federation_catalog_sync')
      .set({
        cursor: Math.max(cursor, report.to),
        last_synced_at: now,
        last_batch_entries: report.changes.length,
      })
      .where('node_id', '=', sender.nodeId)
      .execute();
    return {
      nodeId: selfNodeId,
      reporter: sender.nodeId,
      to: report.to,
      upserted,
      retired,
      unchanged: report.changes.length - upserted - retired,
    };
  });
}
