import { execFile } from 'node:child_process';
import { constants, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { DUCK_TYPES } from './duck-types.js';
import type { Column } from './row-stream.js';

// A source's COPY CSV read by a sandbox's DuckDB from a named pipe in its scratch folder: the
// bytes go from the source's socket into DuckDB's CSV reader as they arrive, never whole in this
// process's memory nor on disk. Used by the Parquet export (deliver/parquet.ts) and by the load of
// a large side into a query's sandbox (Sandbox.loadCsv).

const duckString = (text: string) => `'${text.replaceAll("'", "''")}'`;
const duckName = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * A column of the COPY CSV as its DuckDB type. DuckDB's cast of text to a wide DECIMAL costs
 * ~25 µs a value (measured: 27 s for a million rows, against 0.3 s for DECIMAL(18, 2)); a value
 * of at most 7 integer digits goes through DECIMAL(18, 10) — the same rounding, with room for
 * its carry — and only larger ones take the wide cast (the row path builds decimals itself,
 * sandbox-process/chunks.ts, for the same reason).
 */
function selectItem(column: Column, index: number): string {
  const c = `c${index}`;
  if (column.type !== 'decimal') return `${c} AS ${duckName(column.name)}`;
  const wide = DUCK_TYPES.decimal;
  return `CASE WHEN length(split_part(ltrim(${c}, '-'), '.', 1)) <= 7 THEN CAST(CAST(${c} AS DECIMAL(18, 10)) AS ${wide}) ELSE CAST(${c} AS ${wide}) END AS ${duckName(column.name)}`;
}

/**
 * The SELECT that reads a COPY CSV at `path` as `columns`, each typed as the row path loads it
 * (DUCK_TYPES; no sniffing), so both paths hold the same values. A quoted empty field is an empty
 * string, an unquoted one NULL, as COPY writes them.
 */
export function csvInputSelect(columns: Column[], path: string): string {
  const types = columns
    .map((c, i) => `c${i}: ${duckString(c.type === 'decimal' ? 'VARCHAR' : DUCK_TYPES[c.type])}`)
    .join(', ');
  return `SELECT ${columns.map(selectItem).join(', ')} FROM read_csv(${duckString(path)}, columns = {${types}}, header = false, auto_detect = false, delim = ',', quote = '"', escape = '"', new_line = '\\n', allow_quoted_nulls = false)`;
}

/** A named pipe (FIFO) at `path`, readable and writable by this user only. */
export async function makeFifo(path: string): Promise<void> {
  await promisify(execFile)('mkfifo', ['-m', '600', path]);
}

/**
 * Writes `chunks` into the pipe at `path`; resolves when the reader has had the last byte. The
 * pipe's open waits for its reader: a reader that never comes is answered by `releaseWriter`.
 */
export function feedPipe(path: string, chunks: AsyncIterable<Buffer>): Promise<void> {
  return pipeline(Readable.from(chunks), createWriteStream(path, { highWaterMark: 1 << 20 }));
}

/**
 * Releases a writer waiting to open `fifo` when its reader will never come (DuckDB failed before
 * it opened it): opening the read end lets the writer's open return, and closing it at once makes
 * the writer's first write fail (EPIPE) instead of waiting for ever.
 */
export async function releaseWriter(fifo: string): Promise<void> {
  const reader = await open(fifo, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => undefined);
  await reader?.close();
}
