import { sql } from 'kysely';
// The tree's right edge, as the appender keeps it: a forger rebuilds it so that the node itself
// goes on signing the rewritten history.
import { extendFrontier, packFrontier } from '../../src/audit/frontier.js';
import { leafHash } from '../../src/audit/index.js';
import type { Store } from '../../src/store/index.js';

/**
 * Rewrites entry `index` of a node's audit log as a dishonest operator would, on its stopped
 * store: the entry (its time moved by a millisecond), its leaf hash, every stored subtree, and
 * the head's right edge, with the head marked unsigned so that the node's next checkpoint signs
 * the rewritten tree with the log's own key. Witnesses that saw the old history must call it a fork.
 */
export async function rewriteLogEntry(store: Store, index: number): Promise<void> {
  const db = store.db;
  const { rows } = await sql<{
    entry: Uint8Array;
  }>`SELECT entry FROM audit_entries WHERE idx = ${index}`.execute(db);
  if (!rows[0]) throw new Error(`the log has no entry ${index}`);
  const parsed = JSON.parse(Buffer.from(rows[0].entry).toString('utf8')) as { time: string };
  const forged = Buffer.from(
    JSON.stringify({ ...parsed, time: new Date(Date.parse(parsed.time) + 1).toISOString() }),
  );
  await sql`UPDATE audit_entries SET entry = ${forged}, leaf_hash = ${leafHash(forged)} WHERE idx = ${index}`.execute(
    db,
  );
  const leaves = await sql<{
    leaf_hash: Uint8Array;
  }>`SELECT leaf_hash FROM audit_entries ORDER BY idx`.execute(db);
  const { nodes, frontier } = extendFrontier(
    { size: 0, hashes: [] },
    leaves.rows.map((r) => Buffer.from(r.leaf_hash)),
  );
  await sql`DELETE FROM audit_nodes`.execute(db);
  for (const node of nodes.filter((n) => n.level > 0))
    await sql`INSERT INTO audit_nodes (level, idx, hash) VALUES (${node.level}, ${node.index}, ${node.hash})`.execute(
      db,
    );
  await sql`UPDATE audit_head SET tree_size = ${frontier.size}, frontier = ${packFrontier(frontier.hashes)}, checkpoint_size = 0 WHERE id = 1`.execute(
    db,
  );
}
