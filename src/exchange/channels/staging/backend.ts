import type { PushBatch, SnapshotLoad } from '../types.js';

/** Where a subscription's delivery stands in a staging database. */
export interface StagingPosition {
  lastSeq: number;
  lastEventId: string | null;
}

/** One dialect's writer into a staging database. */
export interface StagingBackend {
  /** Applies the events past the recorded position and records the new one, in one transaction. */
  deliver(batch: PushBatch): Promise<void>;
  /** Loads a whole snapshot in one transaction (PostgreSQL only; MySQL takes it batch by batch). */
  loadSnapshot?(load: SnapshotLoad): Promise<number>;
  /** The recorded position of a subscription, or null when nothing was delivered yet. */
  readPosition(subscriptionId: string): Promise<StagingPosition | null>;
  close(): Promise<void>;
}

/** Time limits of a staging connection. */
export interface StagingLimits {
  connectTimeoutMs: number;
  /** Per statement: a snapshot chunk of a large table may take a while. */
  statementTimeoutMs: number;
}

export const DEFAULT_LIMITS: StagingLimits = { connectTimeoutMs: 10_000, statementTimeoutMs: 300_000 };
