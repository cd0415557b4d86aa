// Change capture (变更捕获): one interface over each source kind's way of telling what changed.
// A capture never advances its position by itself: the caller stores each batch durably first
// and then acknowledges it, so a crash between the two repeats a batch and never loses one.

/** A table whose changes are captured, with the columns that identify a row. */
export interface CaptureTable {
  schema: string | null;
  table: string;
  /** The columns that identify a row (a primary key); deletes and updates are keyed by them. */
  keyColumns: string[];
  /** Polling only: the column the steward names that grows with each change (updated time, version, id). */
  incrementalColumn?: string;
  /** Polling only: every how many polls this table's keys are compared to find deletes. */
  keyCheckEvery?: number;
}

/** The kinds of change a capture reports. */
export type ChangeOp = 'insert' | 'update' | 'delete';

/** One captured change of one row; `row` is null for a delete (only the key is known then). */
export interface CapturedChange {
  schema: string | null;
  table: string;
  op: ChangeOp;
  key: Record<string, unknown>;
  row: Record<string, unknown> | null;
}

/**
 * Changes up to `position`, in source order. The position is opaque to callers (an LSN for
 * PostgreSQL, a JSON cursor for polling, a version and keyed digests for a diff): store it, and pass it back to resume.
 */
export interface CaptureBatch {
  changes: CapturedChange[];
  position: string;
}

/** How a capture is doing, for the administrators' capture status. */
export interface CaptureStatus {
  method: CaptureMethod;
  /** Whether the source-side state (slot, publication) exists. */
  prepared: boolean;
  /** PostgreSQL: bytes of WAL the slot holds back (what a stopped capture costs the source's disk);
   * binlog: bytes of binlog after the stored position (how far behind the capture is). */
  retainedBytes: number | null;
  /** The position the source has confirmed as consumed. */
  confirmedPosition: string | null;
}

/** The ways a source tells what changed. */
export type CaptureMethod = 'logical' | 'binlog' | 'poll' | 'diff';

/** Called with each batch; resolve only once the batch is stored (then the capture acknowledges it). */
export type BatchHandler = (batch: CaptureBatch) => Promise<void>;

/**
 * One source's change capture. `prepare` creates what the source needs (a publication and a
 * replication slot for PostgreSQL) for exactly the given tables and is repeated when bindings
 * change; `drop` removes it, so no slot is left behind to fill the source's disk.
 */
export interface ChangeCapture {
  readonly method: CaptureMethod;
  prepare(tables: CaptureTable[]): Promise<void>;
  /** The columns that identify a row of the table (its primary key); empty when it has none. */
  keyColumns(table: { schema: string | null; table: string }): Promise<string[]>;
  /**
   * Delivers batches after `from` (null: from the moment `prepare` first ran) until `signal`
   * aborts; resolves when stopped, rejects when the source fails (the caller retries later and
   * resumes from its stored position).
   */
  run(from: string | null, onBatch: BatchHandler, signal: AbortSignal): Promise<void>;
  status(): Promise<CaptureStatus>;
  drop(): Promise<void>;
  close(): Promise<void>;
}
