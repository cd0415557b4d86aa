import type { ReadFrom, ReadPlan } from '../plan.js';
import type { DescribedColumn, RowBatches, SourceDescription, SourceKind, TestResult } from '../types.js';

/** Options of one read. */
export interface ReadOptions {
  /** Rows per batch (default 1000). */
  batchSize?: number;
}

/**
 * One connector per registered source: tests the connection, describes what the source holds,
 * and reads with as much of the plan as the source can run pushed down into it.
 * Errors are 4xx `AppError`s with stable codes (`source_unreachable`, `source_auth_failed`, …).
 */
export interface Connector {
  readonly kind: SourceKind;
  /** The SQL dialect expressions are built in, for privacy/'s `maskSql`; null when nothing is pushed down. */
  readonly dialect: 'postgres' | 'mysql' | 'duckdb' | null;
  /**
   * Whether filters, sort, limit and expressions run at the source. HTTP JSON sources cannot push
   * down: they fetch and then filter, sort and cut in memory, and refuse `expressions`.
   */
  readonly pushdown: boolean;
  /** Connects (within the connect timeout) and asks the server who it is. */
  test(): Promise<TestResult>;
  /** Every table, view, file or record set the credentials can see, with columns and row estimates. */
  describe(options?: { schema?: string }): Promise<SourceDescription>;
  /** The columns one read would see: a table's, or the result columns of the steward's SELECT. */
  describeFrom(from: ReadFrom): Promise<DescribedColumn[]>;
  /**
   * Validates the plan (unknown columns are a 400 before anything runs) and returns the result's
   * columns with a lazy stream of batches; the source is queried as the batches are pulled.
   */
  read(plan: ReadPlan, options?: ReadOptions): Promise<RowBatches>;
  /** Closes the connector's pool; reads in flight finish or fail. */
  close(): Promise<void>;
  /** The pool's connections (open, idle) and waiting checkouts, for /metrics; absent without a pool. */
  poolFigures?(): PoolFigures;
}

/** A connection pool's state. */
export interface PoolFigures {
  total: number;
  idle: number;
  waiting: number;
}
