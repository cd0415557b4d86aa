import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/index.js';
import { allCheckpoints } from './checkpoints.js';
import { frontierRoot } from './frontier.js';
import { readHead } from './head.js';
import type { LogEntryRecord } from './verify-entry.js';
import type { LogSource } from './verify-log.js';

type Db = Kysely<Database>;

type Batch = { idxs: (number | string)[] | null; entries: string | null; leaves: string | null };

/**
 * One batch as one aggregated row: decoding one large value is far cheaper for the drivers than
 * thousands of bytea values. Entries come as UTF-8 text joined by newlines (canonical JSON has
 * none); base64 is the exact fallback for a batch where some entry is not valid UTF-8.
 */
async function readBatch(db: Db, from: number, to: number, limit: number, leaves: boolean, asText: boolean) {
  const leafAgg = leaves ? sql`string_agg(encode(leaf_hash, 'hex'), ',' ORDER BY idx)` : sql`NULL::text`;
  const entryAgg = asText
    ? sql`string_agg(convert_from(entry, 'UTF8'), E'\n' ORDER BY idx)`
    : sql`string_agg(encode(entry, 'base64'), ',' ORDER BY idx)`;
  const { rows } = await sql<Batch>`
    SELECT array_agg(idx ORDER BY idx) AS idxs, ${entryAgg} AS entries, ${leafAgg} AS leaves
    FROM (SELECT idx, entry, leaf_hash FROM audit_entries WHERE idx >= ${from} AND idx < ${to}
      ORDER BY idx LIMIT ${limit}) q`.execute(db);
  const idxs = rows[0]?.idxs ?? [];
  const parts = idxs.length ? rows[0]!.entries!.split(asText ? '\n' : ',') : [];
  if (parts.length !== idxs.length) throw new Error('an entry holds a raw newline');
  const entries = parts.map((p) => Buffer.from(p, asText ? 'utf8' : 'base64'));
  return { idxs: idxs.map(Number), entries, leaves: rows[0]?.leaves?.split(',') };
}

/** Entries with index in [from, to), in index order; a deleted one shows as a gap, which the verifier names. */
export async function* readEntries(
  db: Db,
  from: number,
  to: number,
  options: { leaves?: boolean; batch?: number } = {},
): AsyncGenerator<LogEntryRecord> {
  const limit = options.batch ?? 10_000;
  let next = from;
  while (next < to) {
    const batch = await readBatch(db, next, to, limit, options.leaves ?? false, true).catch(() =>
      readBatch(db, next, to, limit, options.leaves ?? false, false),
    );
    if (batch.idxs.length === 0) return;
    for (let i = 0; i < batch.idxs.length; i++) {
      const leafHash = batch.leaves ? Buffer.from(batch.leaves[i]!, 'hex') : undefined;
      yield { index: batch.idxs[i]!, entry: batch.entries[i]!, leafHash };
    }
    next = batch.idxs.at(-1)! + 1;
  }
}

/** Entries with their search columns, row by row (for deep verification). */
export async function* readEntriesWithColumns(
  db: Db,
  from: number,
  to: number,
  batch = 5000,
): AsyncGenerator<LogEntryRecord> {
  let next = from;
  while (next < to) {
    const rows = await db
      .selectFrom('audit_entries')
      .select([sql<string>`encode(entry, 'base64')`.as('entry'), 'idx', 'tags', 'ref_index', 'time'])
      .where('idx', '>=', next)
      .where('idx', '<', to)
      .orderBy('idx')
      .limit(batch)
      .execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      const columns = {
        tags: row.tags,
        ref: row.ref_index === null ? null : Number(row.ref_index),
        time: new Date(row.time),
      };
      yield { index: Number(row.idx), entry: Buffer.from(row.entry, 'base64'), columns };
    }
    next = Number(rows.at(-1)!.idx) + 1;
  }
}

/** The stored leaf hashes of entries [from, to), to name an altered entry once a root disagrees. */
export async function storedLeaves(db: Db, from: number, to: number): Promise<Map<number, Buffer>> {
  const { rows } = await sql<{ idx: number; h: string }>`
    SELECT idx, encode(leaf_hash, 'hex') AS h FROM audit_entries WHERE idx >= ${from} AND idx < ${to}`.execute(
    db,
  );
  return new Map(rows.map((r) => [Number(r.idx), Buffer.from(r.h, 'hex')]));
}

/**
 * The live store as a log source: every checkpoint, and the entries up to the head read at the
 * start (appends made meanwhile are left for the next run). `deep` also reads the search columns.
 */
export async function storeLogSource(db: Db, origin: string, vkey: string, deep = false): Promise<LogSource> {
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
    entries: deep ? readEntriesWithColumns(db, 0, end) : readEntries(db, 0, end),
    head: { treeSize: head.frontier.size, rootHash: frontierRoot(head.frontier) },
    storedLeaves: (from, to) => storedLeaves(db, from, to),
  };
}
