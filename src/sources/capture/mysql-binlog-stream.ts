/// <reference path="./mysql-zongji.d.ts" />
import ZongJi from '@powersync/mysql-zongji';
import { ConflictError } from '../../errors/index.js';
import { classifySourceError } from '../connectors/classify-error.js';
import { type BinlogPosition, positionText } from './mysql-binlog-position.js';
import { patchListenerDecimals, readValues } from './mysql-binlog-values.js';
import type { BatchHandler, CapturedChange } from './types.js';

/** A captured table as the stream needs it: its key and which columns reads make booleans. */
export interface BinlogTable {
  schema: string | null;
  table: string;
  keyColumns: string[];
  booleans: ReadonlySet<string>;
}

/** What one run of the listener needs: an address already checked by the outbound policy. */
export interface BinlogStreamOptions {
  connection: {
    host: string;
    port: number;
    user: string;
    password: string;
    ssl?: object;
    connectTimeout: number;
  };
  serverId: number;
  start: BinlogPosition;
  /** By `database.table`. */
  tables: ReadonlyMap<string, BinlogTable>;
  /** With no change of ours for this long, a transaction's end is stored as an empty batch. */
  idleAdvanceMs: number;
}

interface BinlogEvent {
  getEventName(): string;
  nextPosition: number;
  binlogName?: string;
  position?: number;
  query?: string;
  tableId?: number;
  tableMap?: Record<number, { parentSchema: string; tableName: string }>;
  rows?: Array<Record<string, unknown>>;
}
// ER_MASTER_FATAL_ERROR_READING_BINLOG: the file asked for is gone (purged) or never was.
const BINLOG_GONE = 1236;

function failure(error: unknown) {
  const e = error as { errno?: number; message?: string };
  if (e?.errno === BINLOG_GONE)
    return new ConflictError(
      'capture_position_lost',
      `The source no longer has the binlog at the stored position: ${e.message ?? ''}`,
    );
  return classifySourceError(error);
}

function keyOf(columns: string[], row: Record<string, unknown>) {
  return Object.fromEntries(columns.map((c) => [c, row[c] ?? null]));
}

/** The changes of one rows event of a captured table, keyed; a key that changed is a delete and an insert. */
function changesOf(name: string, event: BinlogEvent, t: BinlogTable): CapturedChange[] {
  const base = { schema: t.schema, table: t.table };
  const out: CapturedChange[] = [];
  for (const raw of event.rows ?? []) {
    if (name === 'writerows') {
      const row = readValues(raw, t.booleans);
      out.push({ ...base, op: 'insert', key: keyOf(t.keyColumns, row), row });
    } else if (name === 'deleterows') {
      out.push({ ...base, op: 'delete', key: keyOf(t.keyColumns, readValues(raw, t.booleans)), row: null });
    } else {
      const pair = raw as { before: Record<string, unknown>; after: Record<string, unknown> };
      const before = keyOf(t.keyColumns, readValues(pair.before, t.booleans));
      const row = readValues(pair.after, t.booleans);
      const key = keyOf(t.keyColumns, row);
      if (JSON.stringify(before) !== JSON.stringify(key)) {
        out.push({ ...base, op: 'delete', key: before, row: null });
        out.push({ ...base, op: 'insert', key, row });
      } else out.push({ ...base, op: 'update', key, row });
    }
  }
  return out;
}

/**
 * Reads the row-based binlog from `start` and hands each transaction's changes of the captured
 * tables to `onBatch`, in source order, one after the other; the position of a batch is the end
 * of its transaction (its XID, or COMMIT for a non-transactional table). Resolves when `signal`
 * aborts; rejects when the source fails or a batch is not stored (nothing after it is handled).
 */
export function streamBinlog(
  options: BinlogStreamOptions,
  onBatch: BatchHandler,
  signal: AbortSignal,
): Promise<void> {
  patchListenerDecimals();
  const include: Record<string, string[]> = {};
  for (const key of options.tables.keys()) {
    const dot = key.indexOf('.');
    const db = key.slice(0, dot);
    include[db] = [...(include[db] ?? []), key.slice(dot + 1)];
  }
  // DATE as text, as the connector reads it; DATETIME and TIMESTAMP as Dates read as UTC.
  const listener = new ZongJi({ ...options.connection, dateStrings: ['DATE'], timezone: 'Z' });
  let file = options.start.file;
  let pending: CapturedChange[] = [];
  let lastStored = Date.now();
  let done = false;
  let paused = false;
  let draining = false;
  const queue: BinlogEvent[] = [];

  return new Promise<void>((resolve, reject) => {
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      listener.removeAllListeners('binlog');
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        if (error === undefined) resolve();
        else reject(error);
      };
      // stop() ends the dump thread at the server (KILL) and closes both connections; a dead
      // control connection may never answer, so the outcome does not wait for it for long.
      listener.on('stopped', settle);
      setTimeout(settle, 2000).unref();
      try {
        listener.stop();
      } catch {
        settle();
      }
    };
    const onAbort = () => finish();

    const commit = async (pos: number) => {
      const changes = pending;
      pending = [];
      const now = Date.now();
      // An empty batch now and then moves the stored position past other tables' traffic, so a
      // quiet table's position is never one whose file the server has since purged.
      if (changes.length === 0 && now - lastStored < options.idleAdvanceMs) return;
      await onBatch({ changes, position: positionText({ file, pos }) });
      lastStored = now;
    };

    async function handle(event: BinlogEvent) {
      const name = event.getEventName();
      if (name === 'rotate') {
        if (event.binlogName && event.binlogName !== file) {
          file = event.binlogName;
          // Between transactions: the new file's start is a position to resume from.
          if (pending.length === 0) lastStored = 0;
        }
      } else if (name === 'query') {
        const sql = (event.query ?? '').trim().toUpperCase();
        if (sql === 'BEGIN') pending = [];
        else if (sql === 'COMMIT') await commit(event.nextPosition);
      } else if (name === 'xid') {
        await commit(event.nextPosition);
      } else if (name === 'writerows' || name === 'updaterows' || name === 'deleterows') {
        const meta = event.tableMap?.[event.tableId ?? -1];
        const table = meta && options.tables.get(`${meta.parentSchema}.${meta.tableName}`);
        if (table) pending.push(...changesOf(name, event, table));
      }
    }

    async function drain() {
      if (draining) return;
      draining = true;
      try {
        while (queue.length > 0 && !done) await handle(queue.shift() as BinlogEvent);
      } catch (error) {
        // A batch not stored stops the stream: the stored position still points before it.
        finish(error);
      } finally {
        draining = false;
      }
      if (paused && !done) {
        paused = false;
        listener.connection.resume();
      }
    }

    listener.on('error', (error: unknown) => finish(failure(error)));
    listener.on('binlog', (event: BinlogEvent) => {
      if (done) return;
      queue.push(event);
      // Back-pressure: stop reading while batches are stored. Never on a table map: the listener
      // pauses the connection itself while it reads that table's columns, and resumes it after.
      if (queue.length > 200 && !paused && event.getEventName() !== 'tablemap') {
        paused = true;
        listener.connection.pause();
      }
      void drain();
    });
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) return finish();
    listener.start({
      serverId: options.serverId,
      filename: options.start.file,
      position: options.start.pos,
      includeEvents: ['rotate', 'query', 'xid', 'tablemap', 'writerows', 'updaterows', 'deleterows'],
      includeSchema: include,
    });
  });
}
