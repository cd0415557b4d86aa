import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type { AuditLog, StoredCheckpoint } from '../audit/index.js';
import type { Caller, QueryContext } from '../query/index.js';
import type { FederationNode } from './config-schema.js';
import { mirrorPeerApplication, type PeerApp, type PeerOrg } from './peer-principals.js';
import { type Receipt, type ReceiptKind, type SignedReceipt, sha256Hex, signReceipt } from './receipt.js';
import { type ObservedRelease, observeRelease } from './release-observer.js';

/** The provider node's signing identity. */
export interface ServingNode {
  nodeId: string;
  key: KeyObject;
}

/** A peer's request as it runs on this node: its caller, and the pipeline's context observing its release. */
export interface PeerRun {
  caller: Caller;
  ctx: QueryContext;
  seen: ObservedRelease;
  /** This node's own log (the context's notes this run's entries). */
  log: AuditLog;
}

/**
 * The caller a peer's request runs as on this node: its application mirrored here (keyed by the
 * signing node), with the analyst role a local application reads with, under a fresh request id
 * (the one the release entries and the receipt name); and the context to run it in, whose log
 * notes the release's entries as the pipeline writes them.
 */
export async function peerRun(
  ctx: QueryContext,
  sender: FederationNode,
  asked: { org: PeerOrg; application: PeerApp },
  ip: string,
): Promise<PeerRun> {
  const principal = await mirrorPeerApplication(ctx.store.db, sender, asked.org, asked.application);
  const caller: Caller = {
    actor: {
      kind: 'application',
      applicationId: principal.applicationId,
      keyId: `peer:${sender.nodeId}`,
      orgId: principal.orgId,
      roles: ['analyst'],
    },
    ip,
    requestId: randomUUID(),
  };
  const { audit, seen } = observeRelease(ctx.audit, caller.requestId);
  return { caller, ctx: { ...ctx, audit }, seen, log: ctx.audit };
}

/**
 * The signed receipt of a release this node just made for a peer: the SHA-256 of the exact bytes
 * released and where the release sits in this node's log (its start and completion entries, as
 * the pipeline wrote them).
 */
export async function receiptOf(
  self: ServingNode,
  sender: FederationNode,
  run: PeerRun,
  release: {
    kind: ReceiptKind;
    format?: string;
    resource: string;
    application: string;
    released: string | Buffer;
  },
): Promise<SignedReceipt> {
  const { seen } = run;
  if (seen.start === undefined || seen.complete === undefined)
    throw new Error('the release entries of a read just made are missing');
  const checkpoint = await recentCheckpoint(run.log);
  const receipt: Receipt = {
    v: 1,
    // A page keeps the first receipts' shape (no kind): a consumer that predates kinds reads it.
    ...(release.kind === 'rows' ? {} : { kind: release.kind }),
    ...(release.format ? { format: release.format } : {}),
    provider: self.nodeId,
    consumer: sender.nodeId,
    requestId: run.caller.requestId,
    resource: release.resource,
    application: release.application,
    rows: seen.rows ?? 0,
    bytes: Buffer.byteLength(release.released),
    sha256: sha256Hex(release.released),
    logIndex: seen.start,
    completeIndex: seen.complete,
    checkpoint: checkpoint
      ? {
          treeSize: checkpoint.treeSize,
          rootHash: checkpoint.rootHash.toString('base64'),
          note: checkpoint.note,
        }
      : null,
    time: new Date().toISOString(),
  };
  return { receipt, signature: signReceipt(self.key, receipt) };
}

// The latest signed checkpoint, not one signed for this read: signing per read would serialise
// every read on the log's head. The release's inclusion is proven against any later checkpoint
// (GET /api/v1/audit/proof/inclusion?index=logIndex&size=…), so one read a second serves them all.
const checkpoints = new WeakMap<AuditLog, { at: number; value: Promise<StoredCheckpoint | undefined> }>();
const CHECKPOINT_REUSE_MS = 1000;

function recentCheckpoint(log: AuditLog): Promise<StoredCheckpoint | undefined> {
  const held = checkpoints.get(log);
  if (held && Date.now() - held.at < CHECKPOINT_REUSE_MS) return held.value;
  const value = log.latestCheckpoint();
  checkpoints.set(log, { at: Date.now(), value });
  value.catch(() => {
    if (checkpoints.get(log)?.value === value) checkpoints.delete(log);
  });
  return value;
}
