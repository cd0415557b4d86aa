import type { ReadFrom, ReadPlan } from '../plan.js';
import type {
  DescribedColumn,
  ResultColumn,
  RowBatches,
  SourceDescription,
  SourceKind,
  TestResult,
} from '../types.js';

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
  /**
   * The bulk path of a PostgreSQL source: the read's SELECT as `COPY (…) TO STDOUT (FORMAT csv)`,
   * its bytes streamed as the source sends them (a slow reader slows the source). COPY takes no
   * parameters, so the plan's values are rendered as literals with the driver's own escaping,
   * after the same type checks as bound values. Rejects with `CopyUnsupported` (nothing sent to
   * the source) when a value cannot be rendered; absent on connectors without a bulk path.
   */
  copyOut?(plan: ReadPlan): Promise<CopyOut>;
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

/** A COPY … TO STDOUT in progress: the result's columns, its CSV bytes, and its rows once ended. */
export interface CopyOut {
  columns: ResultColumn[];
  chunks: AsyncIterable<Buffer>;
  /** The rows the source reported in its COPY command tag; known once `chunks` has ended. */
  rowCount(): number | undefined;
}

/** A read the bulk path cannot serve as asked: the caller reads it the ordinary way instead. */
export class CopyUnsupported extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'CopyUnsupported';
  }
}
