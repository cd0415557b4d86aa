import { sql, type Transaction } from 'kysely';
import type { Database } from '../store/index.js';
import { entryBytes, type PreparedEvent } from './entry.js';
import { extendFrontier, type TreeNode } from './frontier.js';
import { leafHash } from './hashes.js';
import type { Head } from './head.js';

/** Where an appended entry landed. */
export interface Appended {
  index: number;
  leafHash: Buffer;
}

// Each batch goes as one JSON document that the server expands (jsonb_to_recordset): a single
// parameter whatever the batch size, and far cheaper for the drivers than arrays of bytea.
async function insertEntries(
  trx: Transaction<Database>,
  events: readonly PreparedEvent[],
  first: number,
  bytes: Buffer[],
  leaves: Buffer[],
) {
  const records = events.map((e, i) => ({
    i: first + i,
    e: bytes[i]!.toString('base64'),
    h: leaves[i]!.toString('hex'),
    g: e.tags,
    r: e.ref,
    t: e.time,
  }));
  await sql`
    INSERT INTO audit_entries (idx, entry, leaf_hash, tags, ref_index, time)
    SELECT i, decode(e, 'base64'), decode(h, 'hex'), g, r, t
    FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS x(i int8, e text, h text, g text[], r int8, t timestamptz)`.execute(
    trx,
  );
}

async function insertNodes(trx: Transaction<Database>, nodes: readonly TreeNode[]) {
  const records = nodes
    .filter((n) => n.level > 0)
    .map((n) => ({ l: n.level, i: n.index, h: n.hash.toString('hex') }));
  if (records.length === 0) return;
  await sql`
    INSERT INTO audit_nodes (level, idx, hash)
    SELECT l, i, decode(h, 'hex') FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS x(l int2, i int8, h text)`.execute(
    trx,
  );
}

/**
 * Numbers a batch of events after the locked head, writes their entries and every complete
 * subtree they close, and returns the new head (not yet written) with where each entry went.
 */
export async function writeBatch(
  trx: Transaction<Database>,
  head: Head,
  events: readonly PreparedEvent[],
): Promise<{ head: Head; appended: Appended[] }> {
  const first = head.frontier.size;
  const bytes = events.map((event, i) => entryBytes(event, first + i));
  const leaves = bytes.map(leafHash);
  const { nodes, frontier } = extendFrontier(head.frontier, leaves);
  await insertEntries(trx, events, first, bytes, leaves);
  await insertNodes(trx, nodes);
  return {
    head: { ...head, frontier },
    appended: leaves.map((leaf, i) => ({ index: first + i, leafHash: leaf })),
  };
}
