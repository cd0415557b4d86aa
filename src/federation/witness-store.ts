import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Checkpoint, parseCheckpoint } from '../audit/index.js';
import type { Database } from '../store/index.js';
import { noteBody } from './cosign.js';
import { type WitnessAlert, WitnessAlertSchema } from './witness-schema.js';

type Db = Kysely<Database>;

/** How many consistent checkpoints of each peer a witness keeps to locate a later fork. */
export const SEEN_KEPT = 1000;

/** A checkpoint a witness saw, with the signed note it came in. */
export interface SeenCheckpoint {
  checkpoint: Checkpoint;
  note: string;
}

/** The consistent checkpoints of a peer's log this witness saw, oldest first. */
export async function loadSeen(db: Db, peer: string): Promise<SeenCheckpoint[]> {
  const rows = await db
    .selectFrom('federation_witness_seen')
    .select('note')
    .where('peer_node_id', '=', peer)
    .orderBy('tree_size')
    .execute();
  return rows.map((r) => ({ checkpoint: parseCheckpoint(noteBody(r.note)), note: r.note }));
}

/** Records a consistent checkpoint of a peer (keeping the latest SEEN_KEPT). */
export async function recordSeen(db: Db, peer: string, checkpoint: Checkpoint, note: string, now: Date) {
  await db
    .insertInto('federation_witness_seen')
    .values({
      peer_node_id: peer,
      tree_size: checkpoint.size,
      root_hash: checkpoint.root.toString('base64'),
      note,
      seen_at: now,
    })
    .onConflict((c) => c.columns(['peer_node_id', 'tree_size']).doNothing())
    .execute();
  await sql`DELETE FROM federation_witness_seen WHERE peer_node_id = ${peer} AND tree_size < (
    SELECT tree_size FROM federation_witness_seen WHERE peer_node_id = ${peer}
    ORDER BY tree_size DESC OFFSET ${SEEN_KEPT - 1} LIMIT 1)`.execute(db);
}

/** The peer's witness row (pinned log key, last cosignature), if any. */
export async function readWitnessPeer(db: Db, peer: string) {
  return db
    .selectFrom('federation_witness_peers')
    .selectAll()
    .where('peer_node_id', '=', peer)
    .executeTakeFirst();
}

/** Pins a peer's log key (from the configuration, or on first sight). */
export async function pinLogKey(db: Db, peer: string, vkey: string, source: 'config' | 'first_sight') {
  await db
    .insertInto('federation_witness_peers')
    .values({ peer_node_id: peer, vkey, vkey_source: source })
    .onConflict((c) => c.column('peer_node_id').doUpdateSet({ vkey, vkey_source: source }))
    .execute();
}

/** Records how the last check of a peer went: its new cosignature, or the error. */
export async function recordCheck(
  db: Db,
  peer: string,
  now: Date,
  outcome: { cosigned?: { note: string; cosignature: string }; error?: string },
) {
  await db
    .updateTable('federation_witness_peers')
    .set({
      checked_at: now,
      last_error: outcome.error?.slice(0, 500) ?? null,
      ...(outcome.cosigned
        ? { cosigned_note: outcome.cosigned.note, cosignature: outcome.cosigned.cosignature }
        : {}),
    })
    .where('peer_node_id', '=', peer)
    .execute();
}

/** The latest cosignature of each peer's log this witness holds, for its report to the root. */
export async function latestCosignatures(db: Db) {
  const rows = await db
    .selectFrom('federation_witness_peers')
    .select(['peer_node_id', 'cosigned_note', 'cosignature'])
    .where('cosignature', 'is not', null)
    .orderBy('peer_node_id')
    .execute();
  return rows.map((r) => ({
    logNodeId: r.peer_node_id,
    note: r.cosigned_note as string,
    cosignature: r.cosignature as string,
  }));
}

/** The id of an alert: what was detected, where, by whom (a relayed copy keeps its id). */
export function alertId(alert: Omit<WitnessAlert, 'id' | 'detectedAt'>): string {
  const facts = [alert.subjectNodeId, alert.kind, alert.detectedBy, alert.agreedSize, alert.divergedBy];
  return createHash('sha256')
    .update(JSON.stringify([...facts, alert.evidence.offered]))
    .digest('hex')
    .slice(0, 32);
}

/** Stores an alert unless held already; true when it is new here. */
export async function storeAlert(db: Db, alert: WitnessAlert, now: Date): Promise<boolean> {
  const inserted = await db
    .insertInto('federation_witness_alerts')
    .values({
      id: alert.id,
      subject_node_id: alert.subjectNodeId,
      kind: alert.kind,
      detected_by: alert.detectedBy,
      agreed_size: alert.agreedSize,
      diverged_by: alert.divergedBy,
      evidence: JSON.stringify(alert.evidence),
      detected_at: new Date(alert.detectedAt),
      received_at: now,
    })
    .onConflict((c) => c.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The alerts this node holds, newest first; `detectedBy` keeps only one witness's. */
export async function listWitnessAlerts(
  db: Db,
  options: { limit?: number; detectedBy?: string } = {},
): Promise<WitnessAlert[]> {
  let query = db.selectFrom('federation_witness_alerts').selectAll();
  if (options.detectedBy) query = query.where('detected_by', '=', options.detectedBy);
  const rows = await query
    .orderBy('detected_at', 'desc')
    .orderBy('id')
    .limit(options.limit ?? 100)
    .execute();
  return rows.map((r) =>
    WitnessAlertSchema.parse({
      id: r.id,
      subjectNodeId: r.subject_node_id,
      kind: r.kind,
      detectedBy: r.detected_by,
      agreedSize: Number(r.agreed_size),
      divergedBy: Number(r.diverged_by),
      evidence: typeof r.evidence === 'string' ? JSON.parse(r.evidence) : r.evidence,
      detectedAt: new Date(r.detected_at).toISOString(),
    }),
  );
}

/** What this node's witness knows of each peer: its key's source, the last size seen, the last check. */
export async function witnessPeerStates(db: Db) {
  const peers = await db.selectFrom('federation_witness_peers').selectAll().orderBy('peer_node_id').execute();
  const latest = await db
    .selectFrom('federation_witness_seen')
    .select([
      'peer_node_id',
      (eb) => eb.fn.max('tree_size').as('size'),
      (eb) => eb.fn.max('seen_at').as('at'),
    ])
    .groupBy('peer_node_id')
    .execute();
  const seen = new Map(latest.map((r) => [r.peer_node_id, r]));
  return peers.map((p) => ({
    nodeId: p.peer_node_id,
    keySource: p.vkey_source as 'config' | 'first_sight',
    lastSeenSize: seen.has(p.peer_node_id) ? Number(seen.get(p.peer_node_id)!.size) : null,
    lastSeenAt: seen.has(p.peer_node_id)
      ? new Date(seen.get(p.peer_node_id)!.at as Date).toISOString()
      : null,
    checkedAt: p.checked_at ? new Date(p.checked_at).toISOString() : null,
    lastError: p.last_error,
  }));
}
