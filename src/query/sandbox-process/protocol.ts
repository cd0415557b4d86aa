import type { Column } from '../row-stream.js';
import type { SandboxFailure } from './duck-error.js';

// The messages between a Sandbox (parent) and its DuckDB child process, over Node IPC with
// `serialization: 'advanced'` (structured clone: bigint, Date and typed arrays pass as they are).

/** What the child is started with (argv[2], JSON). */
export interface ChildSettings {
  memoryLimit: string;
  threads: number;
  /** The sandbox's private scratch folder: DuckDB spills here, Parquet is written here. */
  scratch: string;
}

/**
 * Rows in columns, as typed arrays where it can be (structured clone copies those as bytes, while
 * an array of values costs a tag per value): integers as BigInt64Array, numbers as Float64Array,
 * booleans as 0/1, text (dates as ISO text, decimals and JSON as text) as an array of strings.
 * `nulls[i]` is 1 where row i is NULL.
 */
export type WireColumn =
  | { kind: 'bigint'; values: BigInt64Array; nulls: Uint8Array }
  | { kind: 'double'; values: Float64Array; nulls: Uint8Array }
  | { kind: 'boolean'; values: Uint8Array; nulls: Uint8Array }
  | { kind: 'text'; values: string[]; nulls: Uint8Array };
export type WireColumns = WireColumn[];

/** A table with all its rows, created and filled in one step. */
export interface WholeTable {
  table: string;
  columns: Array<Column & { duckType: string }>;
  first?: { columns: WireColumns; rows: number };
}

/**
 * A request of the parent; each gets one reply with the same id (but `interrupt`). `tables`:
 * small tables loaded before the request is handled, carried by it rather than sent on their own,
 * so that a query of small tables costs one round trip in all.
 */
export type Request =
  | (WholeTable & {
      id: number;
      op: 'create';
      /** These are all the rows: the load ends with the creation (its reply is the row count). */
      end?: boolean;
      tables?: WholeTable[];
    })
  | { id: number; op: 'append'; columns: WireColumns; rows: number }
  | { id: number; op: 'endLoad' }
  | { id: number; op: 'query'; sql: string; tables?: WholeTable[] }
  | { id: number; op: 'next' }
  | { id: number; op: 'copy'; sql: string; path: string; tables?: WholeTable[] }
  /** A table made by the platform's own SELECT (a COPY CSV read from the scratch folder); replies its rows. */
  | { id: number; op: 'createAs'; table: string; sql: string; tables?: WholeTable[] }
  | { id: 0; op: 'interrupt' };

/** The child's reply: a value, or the class of the failure (never a run-time message: duck-error.ts). */
export type Reply = { id: number; value?: unknown; error?: SandboxFailure } | { ready: true };

/** The answer to `query`: the result's columns and its first rows. */
export interface QueryStarted {
  columns: Array<{ name: string; duckType: string }>;
  first: NextRows;
}

/** The answer to `next`: up to a few thousand rows, or none at the end. */
export interface NextRows {
  rows: unknown[][];
  done: boolean;
}
