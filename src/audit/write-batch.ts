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

async function insertEntries(
  trx: Transaction<Database>,
  events: readonly PreparedEvent[],
  first: number,
  bytes: Buffer[],
) {
  // unnest keeps this one statement with ten parameters however large the batch.
  await sql`
    INSERT INTO audit_entries
      (idx, entry, type, actor_kind, actor_id, actor_org_id, request_id, resource_codes, ref_index, time)
    SELECT idx, entry, type, actor_kind, actor_id, actor_org_id, request_id,
      ARRAY(SELECT jsonb_array_elements_text(resources)), ref_index, time
    FROM unnest(
      ${events.map((_, i) => first + i)}::int8[], ${bytes}::bytea[], ${events.map((e) => e.type)}::text[],
      ${events.map((e) => e.actor.kind)}::text[], ${events.map((e) => e.actor.id)}::text[],
      ${events.map((e) => e.actor.orgId)}::text[], ${events.map((e) => e.requestId)}::text[],
      ${events.map((e) => JSON.stringify(e.resources))}::jsonb[], ${events.map((e) => e.ref)}::int8[],
      ${events.map((e) => e.time)}::timestamptz[]
    ) AS u(idx, entry, type, actor_kind, actor_id, actor_org_id, request_id, resources, ref_index, time)`.execute(
    trx,
  );
}

async function insertNodes(trx: Transaction<Database>, nodes: readonly TreeNode[]) {
  await sql`
    INSERT INTO audit_nodes (level, idx, hash)
    SELECT * FROM unnest(${nodes.map((n) => n.level)}::int2[], ${nodes.map((n) => n.index)}::int8[],
      ${nodes.map((n) => n.hash)}::bytea[])`.execute(trx);
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
  await insertEntries(trx, events, first, bytes);
  await insertNodes(trx, nodes);
  return {
    head: { ...head, frontier },
    appended: leaves.map((leaf, i) => ({ index: first + i, leafHash: leaf })),
  };
}
