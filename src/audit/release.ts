import { z } from 'zod';
import { type AuditActor, AuditActorSchema, type AuditEvent } from './entry.js';

/** Entry types of data releases: one entry for a whole delivery, or a start and a completion for a stream. */
export const RELEASE_TYPES = {
  whole: 'data.release',
  start: 'data.release.start',
  complete: 'data.release.complete',
} as const;

/** What is about to be released, logged durably before the first byte leaves. */
export const ReleaseDetailsSchema = z.object({
  actor: AuditActorSchema,
  requestId: z.string().min(1).max(200).nullable(),
  /** Catalogue resource codes read. */
  resources: z.array(z.string().min(1)).min(1),
  /** Items (信息项) read, per resource code. */
  items: z.record(z.string(), z.array(z.string())),
  grantId: z.string().nullable(),
  purpose: z.string(),
  /** The query as executed. */
  query: z.string(),
  format: z.string().optional(),
  /** A verification's claim as keyed digests per item (HMAC-SHA-256), never the values. */
  claim: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  /**
   * A differentially private answer's privacy cost: ε spent from the grant's budget, in millionths
   * (entries hold integers only, so that their canonical JSON is the same everywhere).
   */
  epsilonMicro: z.number().int().positive().optional(),
  /** The caller's address, so that a key used from a new address can be told (docs/warning.md). */
  ip: z.string().min(1).max(100).optional(),
});
export type ReleaseDetails = z.input<typeof ReleaseDetailsSchema>;

/** What was actually delivered. */
export const ReleaseOutcomeSchema = z.object({
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  /** Hex SHA-256 of the delivered bytes. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * complete: all of it left; aborted: a stream cut short (the client went away or the read
   * failed); failed: nothing left but an error answer; cut: the server's shutdown grace ran out
   * mid-stream; interrupted: the process died (written on the next start, see
   * closeInterruptedReleases).
   */
  status: z.enum(['complete', 'aborted', 'failed', 'cut', 'interrupted']).default('complete'),
  error: z.string().max(1000).optional(),
});
export type ReleaseOutcome = z.input<typeof ReleaseOutcomeSchema>;

/** A release whose start entry is durable; pass it to completeRelease. */
export interface ReleaseStart {
  index: number;
  leafHash: Buffer;
  actor: AuditActor;
  requestId: string | null;
  resources: string[];
}

/** The start entry of a streamed release; `instance` names the process that streams it. */
export function releaseStartEvent(details: ReleaseDetails, instance?: string): AuditEvent {
  const d = ReleaseDetailsSchema.parse(details);
  const data = {
    items: d.items,
    grantId: d.grantId,
    purpose: d.purpose,
    query: d.query,
    format: d.format,
    ...(instance ? { instance } : {}),
    ...(d.ip ? { ip: d.ip } : {}),
    ...(d.claim ? { claim: d.claim } : {}),
    ...(d.epsilonMicro !== undefined ? { epsilonMicro: d.epsilonMicro } : {}),
  };
  return { type: RELEASE_TYPES.start, actor: d.actor, requestId: d.requestId, resources: d.resources, data };
}

/** The completion entry of a streamed release, pointing back at its start. */
export function releaseCompleteEvent(start: ReleaseStart, outcome: ReleaseOutcome): AuditEvent {
  const o = ReleaseOutcomeSchema.parse(outcome);
  return {
    type: RELEASE_TYPES.complete,
    actor: start.actor,
    requestId: start.requestId,
    resources: start.resources,
    ref: start.index,
    data: { rows: o.rows, bytes: o.bytes, sha256: o.sha256, status: o.status, error: o.error },
  };
}

/** The single entry of a release delivered whole (its bytes known before sending). */
export function releaseEvent(details: ReleaseDetails, outcome: ReleaseOutcome): AuditEvent {
  const start = releaseStartEvent(details);
  const o = ReleaseOutcomeSchema.parse(outcome);
  return {
    ...start,
    type: RELEASE_TYPES.whole,
    data: { ...start.data, rows: o.rows, bytes: o.bytes, sha256: o.sha256, status: o.status, error: o.error },
  };
}

/**
 * The completion of a release whose process died before it could write one: what left is not
 * known (rows, bytes and hash are null), only that the stream ended without its account.
 */
export function releaseInterruptedEvent(
  start: Pick<ReleaseStart, 'index' | 'actor' | 'requestId' | 'resources'>,
  status: 'interrupted' | 'cut',
  reason: string,
): AuditEvent {
  return {
    type: RELEASE_TYPES.complete,
    actor: start.actor,
    requestId: start.requestId,
    resources: start.resources,
    ref: start.index,
    data: { rows: null, bytes: null, sha256: null, status, error: reason },
  };
}
