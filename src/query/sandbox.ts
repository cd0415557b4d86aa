import { join } from 'node:path';
import { AppError, BadRequestError } from '../errors/index.js';
import { csvInputSelect, feedPipe, makeFifo, releaseWriter } from './csv-input.js';
import { DUCK_TYPES } from './duck-types.js';
import type { Column, ColumnType, RowStream } from './row-stream.js';
import { type SandboxFailure, SandboxFailureError } from './sandbox-process/duck-error.js';
import { takeSandboxProcess } from './sandbox-process/pool.js';
import { ChildExited, type SandboxProcess } from './sandbox-process/process.js';
import type {
  NextRows,
  QueryStarted,
  WholeTable,
  WireColumn,
  WireColumns,
} from './sandbox-process/protocol.js';

/** Limits of one sandbox, i.e. of one consumer query. */
export interface SandboxLimits {
  memoryLimit: string;
  threads: number;
  timeoutMs: number;
  /** Directory under which each sandbox gets a private scratch folder (for Parquet output). */
  scratchRoot: string;
  /**
   * The child process's resident memory at which it is killed (bytes); by default
   * `processCeiling(memoryLimit)`. DuckDB's memory_limit does not cover every allocation.
   */
  processMemoryBytes?: number;
  /** Children kept started and idle, ready for a query (sandbox-process/pool.ts); one per core by default. */
  warm?: number;
  /** How long a query may run before the pool starts its child's replacement anyway (ms; 1,000 by default). */
  refillAfterMs?: number;
  /**
   * Rows of a side past which its rows are dropped and it is loaded from its source's bulk read
   * instead (Sandbox.load; 8,192 by default, one append batch; 0 takes the bulk read at once).
   */
  bulkAfterRows?: number;
}

/**
 * A side's bulk read, for `Sandbox.load` to take instead of its rows when it is large: the
 * source's COPY CSV of the same secure view (copy-export.ts), not started until it is read.
 */
export interface BulkInput {
  columns: Column[];
  chunks: AsyncIterable<Buffer>;
}

export { DUCK_TYPES } from './duck-types.js';

const UNITS: Record<string, number> = {
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
};

/** Bytes of a size as the configuration writes it (`256MB`, `1GiB`). */
export function parseSize(size: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(KB|MB|GB|KiB|MiB|GiB)$/i.exec(size.trim());
  if (!m) throw new Error(`Not a size: ${size}`);
  return Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
}

/**
 * What an idle sandbox child holds before any data (Node, the DuckDB library, the instance):
 * measured ≈ 93 MB from dist/ and ≈ 115 MB under tsx; the base leaves room above both.
 */
const CHILD_BASE_BYTES = 200 * 2 ** 20;

/**
 * The default RSS ceiling of a sandbox child: twice DuckDB's memory_limit (which it overshoots
 * within its own accounting: hash tables, result chunks, the appender's rows in V8) plus the base.
 */
export function processCeiling(memoryLimit: string): number {
  return 2 * parseSize(memoryLimit) + CHILD_BASE_BYTES;
}

/** How often a working child's RSS is read. */
const WATCH_MS = 50;
/** How long an interrupted statement has to stop before its child is killed. */
const GRACE_MS = 500;
/** Rows sent to the child per append message. */
const APPEND_ROWS = 8192;

/**
 * A DuckDB for one query, in a child process of its own (src/query/sandbox-process/), locked
 * before it is ready: external access off for good (only the private scratch folder stays
 * reachable, for spilling and for Parquet output written by our code) and the configuration
 * locked. Tables are loaded through the appender (no SQL, no files), then the consumer's SQL runs.
 *
 * DuckDB's memory_limit does not bound everything (a string doubled by `||` over and over grows
 * outside it, and `interrupt()` does not stop it), so the limits are the operating system's:
 * the parent reads the child's RSS every 50 ms and SIGKILLs it past the ceiling
 * (`query_memory_exceeded`); the timeout interrupts, then kills after a short grace
 * (`query_timeout`); any other end of the child fails the query (`query_failed`). The server
 * never holds the consumer's data in DuckDB, so no query can take it down. Children come warm
 * from a small pool (sandbox-process/pool.ts), each serves one sandbox and is then killed.
 */
export class Sandbox {
  private timedOut = false;
  /** Small tables read whole, to be created in the child with the next request. */
  private readonly pending: WholeTable[] = [];
  private tooBig = false;
  /** Whether the scratch folder holds the named pipe of `loadCsv`. */
  private pipeMade = false;
  private readonly ceiling: number;
  private readonly watch: NodeJS.Timeout;

  private constructor(
    private readonly child: SandboxProcess,
    private readonly limits: SandboxLimits,
  ) {
    this.ceiling = limits.processMemoryBytes ?? processCeiling(limits.memoryLimit);
    let reading = false;
    this.watch = setInterval(async () => {
      if (reading) return;
      reading = true;
      const rss = await child.rss();
      reading = false;
      if (rss !== undefined && rss > this.ceiling) {
        this.tooBig = true;
        child.kill();
      }
    }, WATCH_MS);
    this.watch.unref();
    void child.exited.then(() => clearInterval(this.watch));
  }

  /** The child's process id (diagnostics, tests). */
  get pid(): number {
    return this.child.pid;
  }

  /** The sandbox's private scratch folder. */
  get scratch(): string {
    return this.child.scratch;
  }

  /** Opens an empty sandbox. */
  static async open(limits: SandboxLimits): Promise<Sandbox> {
    const child = await takeSandboxProcess({
      memoryLimit: limits.memoryLimit,
      threads: limits.threads,
      scratchRoot: limits.scratchRoot,
      warm: limits.warm,
      refillAfterMs: limits.refillAfterMs,
    });
    return new Sandbox(child, limits);
  }

  /**
   * Creates a table and appends rows to it, batch by batch; resolves with the rows read. A table
   * of at most APPEND_ROWS rows is created with the next request to the child (the next table's
   * creation or the query): its rows are all read, so their count is known, and a query of small
   * tables costs one round trip to the child. A failure to append them fails that request.
   *
   * With `bulk`, a side found to have more than `bulkAfterRows` rows is asked for its bulk read;
   * if it has one, its row read is abandoned and the table is loaded from it instead (`loadCsv`). Rows cost a JS
   * object per value on the way in; COPY's bytes go from the source's socket to DuckDB's reader.
   */
  async load(table: string, stream: RowStream, bulk?: () => Promise<BulkInput | null>): Promise<number> {
    const types = stream.columns.map((c) => c.type);
    const columns = stream.columns.map((c) => ({ ...c, duckType: DUCK_TYPES[c.type] }));
    let switchAt = bulk ? (this.limits.bulkAfterRows ?? APPEND_ROWS) : Number.POSITIVE_INFINITY;
    try {
      const batches = stream.batches[Symbol.asyncIterator]();
      let buffer: unknown[][] = [];
      let ended = false;
      for (;;) {
        if (buffer.length >= switchAt) {
          // Asked only now, so a small side never builds a bulk read; null keeps the rows.
          const input = await bulk!();
          if (input) {
            // A fresh read of the same view: nothing of the abandoned one is kept.
            await batches.return?.();
            return await this.loadCsv(table, input);
          }
          switchAt = Number.POSITIVE_INFINITY;
        }
        if (buffer.length >= APPEND_ROWS) break;
        const next = await batches.next();
        if (next.done) {
          ended = true;
          break;
        }
        buffer.push(...next.value);
      }
      const first = buffer.length > 0 ? { columns: toWire(types, buffer), rows: buffer.length } : undefined;
      buffer = [];
      if (ended) {
        // Sent with the next request (another table's creation, the query): no round trip of its own.
        this.pending.push({ table, columns, first });
        return first?.rows ?? 0;
      }
      // One batch is appended while the next is read from the source: no more is in flight.
      let inFlight: Promise<unknown> = awaitedLater(
        this.child.request({
          op: 'create',
          table,
          columns,
          first,
          tables: this.pending.splice(0),
        }),
      );
      const flush = async () => {
        const rows = buffer;
        buffer = [];
        const sent = awaitedLater(
          this.child.request({ op: 'append', columns: toWire(types, rows), rows: rows.length }),
        );
        await inFlight;
        inFlight = sent;
      };
      for (let next = await batches.next(); !next.done; next = await batches.next()) {
        buffer.push(...next.value);
        if (buffer.length >= APPEND_ROWS) await flush();
      }
      if (buffer.length > 0) await flush();
      await inFlight;
      return await this.child.request<number>({ op: 'endLoad' });
    } catch (error) {
      throw this.explain(error);
    }
  }

  /**
   * Marks the end of loading. The child locked itself — every file and network path off (but the
   * scratch folder), the settings locked — before it was ready (sandbox-process/child.ts), so no
   * SQL, ours or the consumer's, ever runs on an open DuckDB; this costs no round trip.
   */
  async lock(): Promise<void> {
    if (this.child.exit) throw this.explain(this.child.exit);
  }

  /**
   * Creates a table from a source's COPY CSV, fed through a named pipe in the scratch folder to
   * DuckDB's CSV reader (csv-input.ts, typed as `load` types a table); resolves with its rows. A
   * COPY that fails part-way fails the load, though DuckDB saw a clean end of its input.
   */
  async loadCsv(table: string, bulk: BulkInput): Promise<number> {
    const input = join(this.scratch, 'load.csv');
    try {
      // One pipe per sandbox, reused by each large side in turn (sides load one after another).
      if (!this.pipeMade) {
        await makeFifo(input);
        this.pipeMade = true;
      }
      const feeding = feedPipe(input, bulk.chunks);
      const creating = this.child
        .request<number>({
          op: 'createAs',
          table,
          sql: csvInputSelect(bulk.columns, input),
          tables: this.pending.splice(0),
        })
        .catch(async (error: unknown) => {
          // DuckDB failed, maybe before it opened the pipe: the writer waiting for it is let go.
          await releaseWriter(input);
          throw error;
        });
      const [created, fed] = await Promise.allSettled([creating, feeding]);
      // DuckDB's failure explains a broken pipe; the source's, a clean end DuckDB took as complete.
      if (created.status === 'rejected') throw created.reason;
      if (fed.status === 'rejected') throw fed.reason;
      return created.value;
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** Runs SQL and streams its result, a few thousand rows per round trip, each asked for when wanted. */
  async stream(sql: string): Promise<RowStream> {
    const timer = this.deadline();
    try {
      const started = await this.child.request<QueryStarted>({
        op: 'query',
        sql,
        tables: this.pending.splice(0),
      });
      const columns: Column[] = started.columns.map((c) => ({ name: c.name, type: columnType(c.duckType) }));
      const batches = async function* (this: Sandbox) {
        try {
          for (let first: NextRows | undefined = started.first; ; first = undefined) {
            const next = first ?? (await this.child.request<NextRows>({ op: 'next' }));
            // An interrupt ends DuckDB's result early, as if it were complete: past the deadline
            // the end of the rows is a timeout, never a shorter answer.
            if (this.timedOut) throw new SandboxFailureError({ class: 'interrupt' });
            if (next.rows.length > 0) yield next.rows;
            if (next.done) break;
          }
        } catch (error) {
          throw this.explain(error);
        } finally {
          clearTimeout(timer);
        }
      }.call(this);
      return { columns, batches };
    } catch (error) {
      clearTimeout(timer);
      throw this.explain(error);
    }
  }

  /** Writes the result of SQL to a Parquet file in the scratch folder and returns its path. */
  async copyToParquet(sql: string): Promise<string> {
    const path = join(this.scratch, 'result.parquet');
    const timer = this.deadline();
    try {
      await this.child.request({ op: 'copy', sql, path, tables: this.pending.splice(0) });
      return path;
    } catch (error) {
      throw this.explain(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** At the timeout: interrupt, and kill the child if the statement has not stopped by the grace. */
  private deadline(): NodeJS.Timeout {
    return setTimeout(() => {
      this.timedOut = true;
      this.child.interrupt();
      setTimeout(() => this.child.kill(), GRACE_MS).unref();
    }, this.limits.timeoutMs);
  }

  /**
   * The error a client sees for a failure in the child. Only the class of a DuckDB error comes
   * from the child (sandbox-process/duck-error.ts), and only binder and catalog errors keep their
   * text; every run-time failure is `query_failed` with `details.class`, never DuckDB's words.
   */
  private explain(error: unknown): Error {
    if (error instanceof AppError) return error;
    const failure: SandboxFailure =
      error instanceof SandboxFailureError
        ? error.failure
        : { class: error instanceof ChildExited ? 'sandbox_exited' : 'other' };
    if (this.tooBig || (!this.timedOut && failure.class === 'out_of_memory')) {
      return new BadRequestError(
        'query_memory_exceeded',
        `The query needed more than ${this.limits.memoryLimit} of memory and was stopped`,
      );
    }
    if (this.timedOut || failure.class === 'interrupt') {
      return new BadRequestError(
        'query_timeout',
        `The query ran longer than ${this.limits.timeoutMs / 1000} s and was stopped`,
      );
    }
    return queryFailed(failure);
  }

  /** Kills the child and deletes the scratch folder. */
  async close(): Promise<void> {
    clearInterval(this.watch);
    await this.child.dispose();
  }

  /**
   * Kills the child at once, its end and scratch folder's deletion left to follow (about 20 ms
   * of a point query's answer otherwise): for a caller whose answer no longer needs the sandbox.
   */
  dismiss(): void {
    clearInterval(this.watch);
    this.child.dismiss();
  }
}

const FAILED: Partial<Record<SandboxFailure['class'], string>> = {
  sandbox_exited: 'The query stopped its sandbox unexpectedly and was not answered',
  syntax: 'The query could not be parsed',
};

/**
 * 400 `query_failed` for a failure in the sandbox: DuckDB's text for binder and catalog errors
 * (raised before any row is read), else a fixed message naming only the class.
 */
export function queryFailed(failure: SandboxFailure): BadRequestError {
  const message =
    failure.text ??
    FAILED[failure.class] ??
    `The query failed while it ran (${failure.class.replaceAll('_', ' ')} error); the engine's message is withheld, since it can quote data`;
  const where = failure.line === undefined ? {} : { line: failure.line, column: failure.column };
  return new BadRequestError('query_failed', message, {
    class: failure.class,
    ...(failure.text ? { reason: failure.text } : {}),
    ...where,
  });
}

/**
 * A request whose reply is awaited later, if at all: a source that fails while it is in flight
 * ends the load first, and its rejection when the child is then killed must not go unhandled
 * (the server treats an unhandled rejection as fatal, server/fatal.ts). Awaiting it still throws.
 */
function awaitedLater<T>(request: Promise<T>): Promise<T> {
  request.catch(() => undefined);
  return request;
}

/** Rows as the columns the child's appender takes (see WireColumn). */
function toWire(types: ColumnType[], rows: unknown[][]): WireColumns {
  const n = rows.length;
  return types.map((type, i): WireColumn => {
    const nulls = new Uint8Array(n);
    for (let r = 0; r < n; r++) if (rows[r]![i] === null || rows[r]![i] === undefined) nulls[r] = 1;
    if (type === 'integer') {
      const values = new BigInt64Array(n);
      for (let r = 0; r < n; r++) {
        const v = rows[r]![i];
        if (!nulls[r]) values[r] = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
      }
      return { kind: 'bigint', values, nulls };
    }
    if (type === 'number') {
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) if (!nulls[r]) values[r] = Number(rows[r]![i]);
      return { kind: 'double', values, nulls };
    }
    if (type === 'boolean') {
      const values = new Uint8Array(n);
      for (let r = 0; r < n; r++) if (!nulls[r]) values[r] = rows[r]![i] ? 1 : 0;
      return { kind: 'boolean', values, nulls };
    }
    const values: string[] = new Array(n);
    for (let r = 0; r < n; r++) values[r] = nulls[r] ? '' : textOf(type, rows[r]![i]);
    return { kind: 'text', values, nulls };
  });
}

function textOf(type: ColumnType, value: unknown): string {
  // ISO text keeps dates exact across time zones; the appender casts it to the column type.
  if ((type === 'date' || type === 'timestamp') && value instanceof Date)
    return value.toISOString().replace('Z', '');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Our column type for a DuckDB result type. */
export function columnType(duck: string): ColumnType {
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(duck))
    return 'integer';
  if (/^(FLOAT|DOUBLE)$/.test(duck)) return 'number';
  if (duck.startsWith('DECIMAL')) return 'decimal';
  if (duck === 'BOOLEAN') return 'boolean';
  if (duck === 'DATE') return 'date';
  if (duck.startsWith('TIMESTAMP')) return 'timestamp';
  return 'string';
}
