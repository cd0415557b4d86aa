import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/index.js';
import { allCheckpoints } from './checkpoints.js';
import { frontierRoot } from './frontier.js';
import { readHead } from './head.js';
import type { LogEntryRecord } from './verify-entry.js';
import type { LogSource } from './verify-log.js';

interface EntryRow {
  idx: number;
  entry: Uint8Array;
  type: string;
  actor_kind: string;
  actor_id: string;
  actor_org_id: string | null;
  request_id: string | null;
  resource_codes: string[];
  ref_index: number | null;
  time: Date;
  leaf_hash: Uint8Array | null;
}

/** Entries with index in [from, to) with their stored leaf hashes, read in index order a batch at a time. */
export async function* readEntries(
  db: Kysely<Database>,
  from: number,
  to: number,
  batch = 5000,
): AsyncGenerator<LogEntryRecord> {
  let next = from;
  while (next < to) {
    // Keyset on idx: a deleted entry shows up as a gap, which the verifier names.
    const { rows } = await sql<EntryRow>`
      SELECT e.idx, e.entry, e.type, e.actor_kind, e.actor_id, e.actor_org_id, e.request_id, e.resource_codes,
        e.ref_index, e.time, n.hash AS leaf_hash
      FROM audit_entries e LEFT JOIN audit_nodes n ON n.level = 0 AND n.idx = e.idx
      WHERE e.idx >= ${next} AND e.idx < ${to} ORDER BY e.idx LIMIT ${batch}`.execute(db);
    if (rows.length === 0) return;
    for (const row of rows) {
      const index = Number(row.idx);
      yield {
        index,
        entry: row.entry,
        leafHash: row.leaf_hash,
        columns: {
          type: row.type,
          actorKind: row.actor_kind,
          actorId: row.actor_id,
          actorOrgId: row.actor_org_id,
          requestId: row.request_id,
          resources: row.resource_codes,
          ref: row.ref_index === null ? null : Number(row.ref_index),
          time: new Date(row.time),
        },
      };
    }
    next = Number(rows.at(-1)!.idx) + 1;
  }
}

/**
 * The live store as a log source: every checkpoint, and the entries up to the head read at the
 * start (appends made meanwhile are left for the next run).
 */
export async function storeLogSource(db: Kysely<Database>, origin: string, vkey: string): Promise<LogSource> {
  // Checkpoints first: each is committed with a head at least its size, so under concurrent
  // appends the head read next is never behind them.
  const checkpoints = await allCheckpoints(db);
  const head = await readHead(db);
  // Entries past the head but below the largest checkpoint are read too, so a rolled-back head is caught.
  const end = Math.max(head.frontier.size, ...checkpoints.map((c) => c.treeSize));
  return {
    origin,
    vkey,
    checkpoints: checkpoints.map((c) => ({
      id: c.id,
      note: c.note,
      treeSize: c.treeSize,
      rootHash: c.rootHash,
    })),
    entries: readEntries(db, 0, end),
    head: { treeSize: head.frontier.size, rootHash: frontierRoot(head.frontier) },
  };
}
