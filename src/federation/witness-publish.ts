import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { withCosignatures } from './cosign.js';
import type { CosignedCheckpoint } from './witness-schema.js';

/**
 * What the root publishes of each log: its largest checkpoint that witnesses cosigned, with every
 * cosignature of that very tree (the root hash most witnesses cosigned, should two ever differ).
 */
export async function publishedCheckpoints(
  db: Kysely<Database>,
  nodeId?: string,
): Promise<CosignedCheckpoint[]> {
  let query = db.selectFrom('federation_cosignatures').selectAll();
  if (nodeId) query = query.where('log_node_id', '=', nodeId);
  const rows = await query.orderBy('log_node_id').orderBy('witness_node_id').execute();
  const byLog = new Map<string, typeof rows>();
  for (const row of rows) byLog.set(row.log_node_id, [...(byLog.get(row.log_node_id) ?? []), row]);
  return [...byLog.entries()].map(([log, all]) => {
    const size = Math.max(...all.map((r) => Number(r.tree_size)));
    const groups = new Map<string, typeof rows>();
    for (const r of all.filter((x) => Number(x.tree_size) === size))
      groups.set(r.root_hash, [...(groups.get(r.root_hash) ?? []), r]);
    const chosen = [...groups.values()].sort((a, b) => b.length - a.length)[0]!;
    return {
      nodeId: log,
      treeSize: size,
      rootHash: chosen[0]!.root_hash,
      witnesses: chosen.map((r) => r.witness_node_id),
      lastCosignedAt: new Date(
        Math.max(...chosen.map((r) => new Date(r.cosigned_at).getTime())),
      ).toISOString(),
      note: withCosignatures(
        chosen[0]!.note,
        chosen.map((r) => r.cosignature),
      ),
    };
  });
}
