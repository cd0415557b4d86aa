import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { readHeldConfig } from './node-store.js';

/** The names a remote request is shown with: its provider node's and its resource's. */
export interface RemoteRequestNames {
  providerNodeName: string | null;
  resourceName: string | null;
}

/**
 * Names for remote requests' providers and resources, so that a list reads 「国家节点 · 某资源」
 * rather than ids: the node's name from the configuration this node holds, the resource's from
 * the catalog entries its children reported (a node holds the catalogs below it only, so a
 * resource of a parent or a sibling has no name here: null, and the console shows its code).
 */
export async function remoteRequestNames(
  db: Kysely<Database>,
  wanted: { providerNodeId: string; resourceCode: string }[],
): Promise<(providerNodeId: string, resourceCode: string) => RemoteRequestNames> {
  const nodes = new Map(
    ((await readHeldConfig(db))?.config.nodes ?? []).map((n) => [n.nodeId, n.name] as const),
  );
  const codes = [...new Set(wanted.map((w) => w.resourceCode))];
  const entries =
    codes.length === 0
      ? []
      : await db
          .selectFrom('federation_catalog_entries')
          .select(['origin_node_id', 'code', 'name'])
          .where('code', 'in', codes)
          .execute();
  const resources = new Map(entries.map((e) => [`${e.origin_node_id}\u0000${e.code}`, e.name] as const));
  return (providerNodeId, resourceCode) => ({
    providerNodeName: nodes.get(providerNodeId) ?? null,
    resourceName: resources.get(`${providerNodeId}\u0000${resourceCode}`) ?? null,
  });
}
