// Push channels (推送通道): how a subscription's stored, enforced events leave the platform.
// The dispatcher (exchange/dispatch.ts) takes the next events of a subscription, writes their
// release entry, then hands them to the channel's driver; a driver only sends, it decides nothing.
import type { DeliveredEvent } from '../events.js';

/** A granted column as delivered: its item name and its type in the catalog (string, integer, …). */
export interface DeliveredColumn {
  name: string;
  type: string;
}

/** The subscription a batch belongs to, as a driver needs to name it. */
export interface ChannelTarget {
  subscriptionId: string;
  orgId: string;
  applicationId: string;
  resourceCode: string;
}

/** One batch to send: events in sequence order, the columns delivered, and the JSON body as released. */
export interface PushBatch {
  target: ChannelTarget;
  events: DeliveredEvent[];
  /** The granted items delivered (after the subscriber's own field choice), in order. */
  columns: DeliveredColumn[];
  /** The key items (a subset of `columns`; masked when masked). */
  keyColumns: string[];
  /** Whether these events are the initial snapshot (a staging database loads them in bulk). */
  snapshot: boolean;
  /** The exact bytes released for this batch (its SHA-256 is in the release entry). */
  body: string;
}

/**
 * A failure of a send. `retryable`: a later attempt may succeed (endpoint down, 5xx, timeout);
 * otherwise the batch goes to dead letters at once (e.g. a staging table that conflicts).
 * `code` is a stable code shown to the consumer (webhook_status_500, staging_table_conflict, …).
 */
export class ChannelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** One enforced, released batch of a snapshot as a bulk load takes it: the rows, by key id. */
export interface SnapshotChunk {
  columns: DeliveredColumn[];
  rows: Array<{ keyId: string; row: Record<string, unknown> }>;
}

/**
 * A whole snapshot loaded in one transaction of the channel (a staging database): what was there
 * before is replaced, and the subscription's position is set to `position` with it.
 */
export interface SnapshotLoad {
  target: ChannelTarget;
  position: number;
  /** Each chunk's release entry is durable before the chunk is yielded, so before its bytes leave. */
  chunks: AsyncIterable<SnapshotChunk>;
}

/** A channel's sender for one subscription. */
export interface ChannelDriver {
  /** Sends the batch; resolves once the far side has it (2xx, JetStream ack, commit). Throws ChannelError. */
  deliver(batch: PushBatch): Promise<void>;
  /** Loads a snapshot in bulk, all or nothing (only channels that can: a PostgreSQL staging database). Resolves with the rows loaded. */
  loadSnapshot?(load: SnapshotLoad): Promise<number>;
  /** Releases connections. */
  close(): Promise<void>;
}
