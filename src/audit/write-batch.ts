import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/index.js';
import { signCheckpoint } from './checkpoint.js';
import { entryBytes, type PreparedEvent } from './entry.js';
import { extendFrontier, frontierRoot } from './frontier.js';
import { leafHash } from './hashes.js';
import type { Head } from './head.js';
import type { NoteSigner } from './note.js';

/** Where an appended entry landed. */
export interface Appended {
  index: number;
  leafHash: Buffer;
}

/**
 * A change to a grant's usage counter of one day (sharing's grant_usage) that must be durable
 * exactly when an entry is: the rows a release gives back to, or charges on, the day's quota.
 * Written by the same statement as the batch holding the entry (applyBatch), so usage is charged
 * once per release whatever the group commit does, and never without its entry.
 */
export interface UsageAdjustment {
  grantId: string;
  /** The Asia/Shanghai day of the counter (YYYY-MM-DD). */
  day: string;
  /** Rows to add (negative: to give back; the counter never goes below zero). */
  rows: number;
}

/** The adjustments of a batch summed per counter: one statement may change a row only once. */
export function sumAdjustments(adjustments: readonly (UsageAdjustment | undefined)[]): string | null {
  const sums = new Map<string, UsageAdjustment>();
  for (const a of adjustments) {
    if (!a || a.rows === 0) continue;
    const key = `${a.grantId}/${a.day}`;
    const sum = sums.get(key);
    if (sum) sum.rows += a.rows;
    else sums.set(key, { ...a });
  }
  const rows = [...sums.values()]
    .filter((a) => a.rows !== 0)
    .map((a) => ({ g: a.grantId, d: a.day, r: a.rows }));
  return rows.length ? JSON.stringify(rows) : null;
}

/** When a batch should carry a signed checkpoint. */
export interface SignPolicy {
  origin: string;
  signer: NoteSigner;
  /** Sign when at least this many entries were appended since the last checkpoint (0: never). */
  every: number;
}

/** Everything a batch writes, computed from the head it extends. */
export interface BatchPlan {
  /** The size of the tree the batch extends: the write only applies if the head still has it. */
  from: number;
  head: Head;
  appended: Appended[];
  entries: string;
  nodes: string;
  checkpoint: { note: string; root: Buffer } | undefined;
}

/** Numbers events after `head`, hashes them, extends the tree and signs a checkpoint if one is due. */
export function planBatch(head: Head, events: readonly PreparedEvent[], policy: SignPolicy): BatchPlan {
  const from = head.frontier.size;
  const bytes = events.map((event, i) => entryBytes(event, from + i));
  const leaves = bytes.map(leafHash);
  const { nodes, frontier } = extendFrontier(head.frontier, leaves);
  let checkpointSize = head.checkpointSize;
  let checkpoint: BatchPlan['checkpoint'];
  if (policy.every > 0 && frontier.size - checkpointSize >= policy.every) {
    const root = frontierRoot(frontier);
    checkpoint = {
      root,
      note: signCheckpoint({ origin: policy.origin, size: frontier.size, root }, policy.signer),
    };
    checkpointSize = frontier.size;
  }
  const entries = events.map((e, i) => ({
    i: from + i,
    e: bytes[i]!.toString('base64'),
    h: leaves[i]!.toString('hex'),
    g: e.tags,
    r: e.ref,
    t: e.time,
  }));
  const inner = nodes
    .filter((n) => n.level > 0)
    .map((n) => ({ l: n.level, i: n.index, h: n.hash.toString('hex') }));
  return {
    from,
    head: { frontier, checkpointSize },
    appended: leaves.map((leaf, i) => ({ index: from + i, leafHash: leaf })),
    entries: JSON.stringify(entries),
    nodes: JSON.stringify(inner),
    checkpoint,
  };
}

/**
 * Writes a planned batch in ONE statement, so that it costs one round trip and commits on its
 * own: the head is updated only if it still has the size the plan extends (compare-and-set,
 * under the row lock that UPDATE takes), and every insert joins on that update, so when another
 * writer got there first nothing is written and this returns false. Each batch goes as JSON
 * documents the server expands: a few parameters whatever the batch size. `usage` (sumAdjustments)
 * changes the grants' day counters in the same statement, joined on the same update.
 */
export async function applyBatch(
  db: Kysely<Database>,
  plan: BatchPlan,
  usage: string | null = null,
): Promise<boolean> {
  const { frontier, checkpointSize } = plan.head;
  const note = plan.checkpoint?.note ?? null;
  const root = plan.checkpoint?.root.toString('hex') ?? null;
  const { rows } = await sql<{ ok: number }>`
    WITH h AS (
      UPDATE audit_head SET tree_size = ${frontier.size}, frontier = decode(${Buffer.concat(frontier.hashes).toString('hex')}, 'hex'),
        checkpoint_size = CASE WHEN ${note}::text IS NULL THEN checkpoint_size ELSE ${checkpointSize}::int8 END
      WHERE id = 1 AND tree_size = ${plan.from} RETURNING 1
    ), e AS (
      INSERT INTO audit_entries (idx, entry, leaf_hash, tags, ref_index, time)
      SELECT x.i, decode(x.e, 'base64'), decode(x.h, 'hex'), x.g, x.r, x.t
      FROM h, jsonb_to_recordset(${plan.entries}::jsonb) AS x(i int8, e text, h text, g text[], r int8, t timestamptz)
    ), n AS (
      INSERT INTO audit_nodes (level, idx, hash)
      SELECT x.l, x.i, decode(x.h, 'hex') FROM h, jsonb_to_recordset(${plan.nodes}::jsonb) AS x(l int2, i int8, h text)
    ), c AS (
      INSERT INTO audit_checkpoints (tree_size, root_hash, note, created_at)
      SELECT ${frontier.size}::int8, decode(${root}::text, 'hex'), ${note}::text, ${new Date()}::timestamptz
      FROM h WHERE ${note}::text IS NOT NULL
    )${usage === null ? sql`` : usageCte(usage)}
    SELECT count(*)::int AS ok FROM h`.execute(db);
  return Number(rows[0]?.ok) === 1;
}

// Only in a batch that carries usage: a store being restored or upgraded may not have grant_usage
// yet when its audit log is written (the upgrade test writes entries at 0003).
const usageCte = (usage: string) => sql`, u AS (
      INSERT INTO grant_usage (grant_id, day, calls, row_count)
      SELECT x.g, x.d, 0, x.r
      FROM h, jsonb_to_recordset(${usage}::jsonb) AS x(g uuid, d text, r int8)
      -- A give-back always finds the row its reservation made; never a negative counter.
      WHERE x.r > 0 OR EXISTS (SELECT 1 FROM grant_usage AS o WHERE o.grant_id = x.g AND o.day = x.d)
      ON CONFLICT (grant_id, day) DO UPDATE SET row_count = greatest(0, grant_usage.row_count + excluded.row_count)
    )`;
