import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type AuditEvent, type Checkpoint, openCheckpoint, verifierFromVkey } from '../audit/index.js';
import type { OutboundPolicy } from '../net/index.js';
import type { Database } from '../store/index.js';
import type { FederationNode } from './config-schema.js';
import { cosign, noteBody, witnessName } from './cosign.js';
import { peerRequest } from './peer-http.js';
import { judgeCheckpoint, type ProofSource } from './witness-check.js';
import { peerLogKey } from './witness-keys.js';
import type { WitnessAlert } from './witness-schema.js';
import { alertId, loadSeen, recordCheck, recordSeen, storeAlert } from './witness-store.js';

/** What a witness needs: the store, the outbound policy, its node key and the audit log it writes to. */
export interface WitnessContext {
  db: Kysely<Database>;
  policy: OutboundPolicy;
  /** Read on the first round of a joined node (a node that never federates never creates it). */
  nodeKey: () => Promise<KeyObject>;
  audit: { append(event: AuditEvent): Promise<unknown> };
  now?: () => Date;
}

/** The context of a round, its node key read. */
export type KeyedWitnessContext = WitnessContext & { key: KeyObject };

/** The system actor the witness writes its audit entries as. */
export const WITNESS_ACTOR = { kind: 'system', id: 'federation-witness', orgId: null } as const;

/** What checking one peer came to. */
export type PeerOutcome = 'no_checkpoint' | 'unchanged' | 'cosigned' | 'fork' | 'rollback';

const proofsOf =
  (policy: OutboundPolicy, peer: FederationNode): ProofSource =>
  async (from, to) => {
    const url = new URL(`/api/v1/audit/proof/consistency?from=${from}&to=${to}`, peer.url);
    const answer = await peerRequest(policy, url);
    // 400: the log no longer has `from` entries, so there is no proof to give. Anything else (a
    // rate limit, an outage) is an error to retry, never evidence of a fork.
    if (answer.status === 400) return undefined;
    if (answer.status !== 200) throw new Error(`${peer.nodeId} answered ${answer.status} for a proof`);
    const { path } = JSON.parse(answer.body.toString('utf8')) as { path: string[] };
    return path.map((p) => Buffer.from(p, 'base64'));
  };

/** Raises a fork or rollback: the alert is stored (once) and written to this node's audit log. */
async function raise(
  context: KeyedWitnessContext,
  alert: Omit<WitnessAlert, 'id'>,
  offered: Checkpoint,
): Promise<void> {
  const full = { ...alert, id: alertId(alert) };
  if (!(await storeAlert(context.db, full, new Date(alert.detectedAt)))) return;
  await context.audit.append({
    type: 'federation.fork_detected',
    actor: WITNESS_ACTOR,
    data: {
      alertId: full.id,
      nodeId: alert.subjectNodeId,
      kind: alert.kind,
      index: alert.agreedSize,
      divergedBy: alert.divergedBy,
      offeredSize: offered.size,
    },
  });
}

/**
 * Witnesses one peer: fetches its checkpoint note, checks the log's signature, proves it extends
 * the last checkpoint seen and cosigns it (C2SP tlog-cosignature); a fork or rollback is located
 * among the checkpoints seen and raised, and the last trusted checkpoint is kept.
 */
export async function witnessPeer(
  context: KeyedWitnessContext,
  selfId: string,
  peer: FederationNode,
): Promise<PeerOutcome> {
  const { db, policy } = context;
  const now = context.now?.() ?? new Date();
  const verifier = verifierFromVkey(await peerLogKey(db, policy, peer));
  const answer = await peerRequest(policy, new URL('/api/v1/audit/checkpoint/note', peer.url));
  const seen = await loadSeen(db, peer.nodeId);
  if (answer.status === 404 && seen.length === 0) return 'no_checkpoint';
  // No checkpoint, or one under another key, after checkpoints were seen: a wiped or re-keyed log.
  // There is no signed evidence of a second history, so it is the peer's error, not an alert.
  if (answer.status !== 200) throw new Error(`${peer.nodeId} answered ${answer.status} for its checkpoint`);
  const note = answer.body.toString('utf8');
  const offered = openCheckpoint(note, verifier, verifier.name);
  const verdict = await judgeCheckpoint(
    seen.map((s) => s.checkpoint),
    offered,
    proofsOf(policy, peer),
  );
  if (verdict.kind === 'same') {
    await recordCheck(db, peer.nodeId, now, {});
    return 'unchanged';
  }
  if (verdict.kind === 'new') {
    await recordSeen(db, peer.nodeId, offered, note, now);
    const cosignature = cosign(
      noteBody(note),
      witnessName(selfId),
      context.key,
      Math.floor(now.getTime() / 1000),
    );
    await recordCheck(db, peer.nodeId, now, { cosigned: { note, cosignature } });
    return 'cosigned';
  }
  const alert = {
    subjectNodeId: peer.nodeId,
    kind: verdict.kind,
    detectedBy: selfId,
    agreedSize: verdict.agreedSize,
    divergedBy: verdict.divergedBy,
    evidence: { seen: seen.at(-1)!.note, offered: note },
    detectedAt: now.toISOString(),
  };
  await raise(context, alert, offered);
  await recordCheck(db, peer.nodeId, now, {
    error: `${verdict.kind}: histories differ from entry ${verdict.agreedSize} (within the first ${verdict.divergedBy})`,
  });
  return verdict.kind;
}
