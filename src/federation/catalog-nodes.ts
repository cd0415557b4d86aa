import { type Kysely, sql } from 'kysely';
import type { FederatedSearch } from '../catalog/index.js';
import type { Database } from '../store/index.js';
import { readHeldConfig, readNode } from './node-store.js';

/** A node whose catalog this node holds a copy of, as GET /api/v1/federation/catalog/nodes shows it. */
export interface CatalogNodeView {
  nodeId: string;
  name: string;
  regionCode: string;
  level: string;
  /** The child that reports its entries here: itself, or the province that relays a city's. */
  viaNodeId: string;
  entries: number;
  lastSyncedAt: string | null;
  /** No report from the reporting child for longer than the threshold: the copy may be behind. */
  stale: boolean;
}

/** After this long without a report (heartbeats come every 30 s) a node's copy is marked stale. */
export const CATALOG_STALE_SECONDS = 120;

/**
 * The nodes this node holds catalog entries of, and its children (which may not have reported
 * yet): entries, last synchronisation and whether the copy is stale. The copy stays searchable
 * when a child is down; only the flag says it may be behind.
 */
export async function listCatalogNodes(
  db: Kysely<Database>,
  now: Date = new Date(),
  staleSeconds = CATALOG_STALE_SECONDS,
): Promise<CatalogNodeView[]> {
  const self = await readNode(db);
  const config = (await readHeldConfig(db))?.config;
  if (!self || !config) return [];
  const counts = await db
    .selectFrom('federation_catalog_entries')
    .select([
      'origin_node_id',
      'via_node_id',
      sql<number>`count(*) filter (where status = 'published')::int`.as('n'),
    ])
    .groupBy(['origin_node_id', 'via_node_id'])
    .execute();
  const syncs = new Map(
    (await db.selectFrom('federation_catalog_sync').select(['node_id', 'last_synced_at']).execute()).map(
      (s) => [s.node_id, new Date(s.last_synced_at)],
    ),
  );
  const views = new Map<string, { via: string; entries: number }>();
  for (const n of config.nodes)
    if (n.parentNodeId === self.node_id && n.nodeId !== self.node_id)
      views.set(n.nodeId, { via: n.nodeId, entries: 0 });
  for (const c of counts) {
    const v = views.get(c.origin_node_id) ?? { via: c.via_node_id, entries: 0 };
    views.set(c.origin_node_id, { via: c.via_node_id, entries: v.entries + Number(c.n) });
  }
  return [...views]
    .map(([nodeId, v]) => {
      const known = config.nodes.find((n) => n.nodeId === nodeId);
      const synced = syncs.get(v.via) ?? null;
      return {
        nodeId,
        name: known?.name ?? nodeId,
        regionCode: known?.regionCode ?? '',
        level: known?.level ?? '',
        viaNodeId: v.via,
        entries: v.entries,
        lastSyncedAt: synced?.toISOString() ?? null,
        stale: !synced || now.getTime() - synced.getTime() > staleSeconds * 1000,
      };
    })
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
}

/** What a catalog search on this node needs to show reported entries; undefined outside a federation. */
export async function federatedSearchOf(db: Kysely<Database>): Promise<FederatedSearch | undefined> {
  const self = await readNode(db);
  if (!self) return undefined;
  const config = (await readHeldConfig(db))?.config;
  return {
    nodeId: self.node_id,
    nodes: new Map(
      (config?.nodes ?? [{ nodeId: self.node_id, name: self.name, regionCode: self.region_code }]).map(
        (n) => [n.nodeId, { name: n.name, regionCode: n.regionCode }],
      ),
    ),
  };
}
