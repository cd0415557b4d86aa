import { ConflictError } from '../../errors/index.js';
import type { Connector } from '../connectors/connector.js';
import type { CaptureMarks } from './capture-marks.js';
import { sleep } from './sleep.js';
import type { CapturedChange, CaptureTable, ChangeCapture } from './types.js';

/** How often a polling capture asks, and how often it compares keys to find deletes. */
export interface PollOptions {
  intervalMs?: number;
  /** Every how many polls the whole key set is read and compared (deletes leave no trace otherwise). */
  keyCheckEvery?: number;
  /** Rows per read. */
  batchSize?: number;
  /** Where the first `prepare` records the rows there then (the snapshot's baseline). */
  marks?: CaptureMarks;
}

/** Where a polling capture stands in one table: the last (incremental, key…) values and the keys seen. */
interface TableCursor {
  after: (string | number | boolean)[] | null;
  keys: string[];
}
interface PollPosition {
  polls: number;
  tables: Record<string, TableCursor>;
}

const refOf = (t: CaptureTable) => `${t.schema ?? ''}.${t.table}`;
const scalar = (v: unknown): string | number | boolean =>
  v instanceof Date
    ? v.toISOString()
    : typeof v === 'bigint'
      ? v.toString()
      : (v as string | number | boolean);

function parsePosition(position: string | null): PollPosition | null {
  // A position of another method (an LSN before the steward chose polling) is not ours.
  if (!position?.startsWith('{')) return null;
  const parsed = JSON.parse(position) as PollPosition;
  return parsed.tables && typeof parsed.polls === 'number' ? parsed : null;
}

/**
 * Change capture by polling, for any source the connector can read with a keyset (SQL tables
 * without a change log, HTTP JSON): rows whose (incremental column, key) passed the last seen
 * value are inserts or updates, and every `keyCheckEvery` polls the key set is compared to find
 * deletes. The position carries the keys seen, so it suits tables of up to some 100,000 rows;
 * larger ones want the source's change log (logical replication, binlog).
 */
export function pollingCapture(connector: Connector, options: PollOptions = {}): ChangeCapture {
  const intervalMs = options.intervalMs ?? 5000;
  const keyCheckEvery = options.keyCheckEvery ?? 12;
  const batchSize = options.batchSize ?? 1000;
  let tables: CaptureTable[] = [];

  async function readRows(table: CaptureTable, after: TableCursor['after'], columns?: string[]) {
    const inc = table.incrementalColumn as string;
    const sort = [inc, ...table.keyColumns].map((column) => ({ column, direction: 'asc' as const }));
    const result = await connector.read(
      {
        from: { kind: 'table', schema: table.schema, table: table.table },
        ...(columns ? { columns } : {}),
        filters: [],
        sort: columns ? [] : sort,
        ...(after && !columns ? { after } : {}),
        ...(columns ? {} : { limit: batchSize }),
      },
      { batchSize },
    );
    const names = result.columns.map((c) => c.name);
    const rows: Record<string, unknown>[] = [];
    for await (const batch of result.batches)
      for (const values of batch) rows.push(Object.fromEntries(names.map((n, i) => [n, values[i]])));
    return rows;
  }

  const keyText = (table: CaptureTable, row: Record<string, unknown>) =>
    JSON.stringify(table.keyColumns.map((c) => scalar(row[c])));
  const keyObject = (table: CaptureTable, text: string) => {
    const values = JSON.parse(text) as unknown[];
    return Object.fromEntries(table.keyColumns.map((c, i) => [c, values[i]]));
  };

  /** One poll of one table: its changes, and its cursor moved past them. */
  async function pollTable(table: CaptureTable, cursor: TableCursor, checkKeys: boolean) {
    const changes: CapturedChange[] = [];
    const known = new Set(cursor.keys);
    const base = { schema: table.schema, table: table.table };
    let after = cursor.after;
    for (;;) {
      const rows = await readRows(table, after);
      for (const row of rows) {
        const key = keyText(table, row);
        changes.push({ ...base, op: known.has(key) ? 'update' : 'insert', key: keyObject(table, key), row });
        known.add(key);
        after = [table.incrementalColumn as string, ...table.keyColumns].map((c) => scalar(row[c]));
      }
      if (rows.length < batchSize) break;
    }
    if (checkKeys) {
      const present = new Set(
        (await readRows(table, null, table.keyColumns)).map((row) => keyText(table, row)),
      );
      for (const key of known)
        if (!present.has(key)) {
          changes.push({ ...base, op: 'delete', key: keyObject(table, key), row: null });
          known.delete(key);
        }
    }
    return { changes, cursor: { after, keys: [...known].sort() } };
  }

  /** One poll of every table: the changes and the position moved past them. */
  async function pollAll(position: PollPosition) {
    position.polls += 1;
    const changes: CapturedChange[] = [];
    let checked = false;
    for (const table of tables) {
      const ref = refOf(table);
      const checkKeys = position.polls % (table.keyCheckEvery ?? keyCheckEvery) === 0;
      checked ||= checkKeys;
      const polled = await pollTable(table, position.tables[ref] ?? { after: null, keys: [] }, checkKeys);
      changes.push(...polled.changes);
      position.tables[ref] = polled.cursor;
    }
    return { changes, checked };
  }

  return {
    method: 'poll',
    prepare: async (list) => {
      for (const t of list)
        if (!t.incrementalColumn || t.keyColumns.length === 0)
          throw new ConflictError(
            'capture_needs_key',
            `Polling ${t.table} needs a key and an incremental column`,
          );
      tables = list;
      // The rows there before the subscription's snapshot is read: the first run starts from them.
      if (options.marks && (await options.marks.get()) === null) {
        const position: PollPosition = { polls: 0, tables: {} };
        await pollAll(position);
        position.polls = 0;
        await options.marks.setIfAbsent(JSON.stringify(position));
      }
    },
    keyColumns: async (t) =>
      tables.find((x) => x.table === t.table && x.schema === t.schema)?.keyColumns ?? [],
    run: async (from, onBatch, signal) => {
      const stored = parsePosition(from ?? (await options.marks?.get()) ?? null);
      const position = stored ?? { polls: 0, tables: {} };
      // Without a position the rows there now are the baseline (a subscription's snapshot covers
      // them): the first poll records keys and cursor and reports nothing.
      let baseline = stored === null;
      while (!signal.aborted) {
        const polled = await pollAll(position);
        const changes = baseline ? [] : polled.changes;
        // A batch is stored even when empty after a key check or the baseline: both move the position.
        if (changes.length > 0 || polled.checked || baseline)
          await onBatch({ changes, position: JSON.stringify(position) });
        baseline = false;
        await sleep(intervalMs, signal);
      }
    },
    status: async () => ({
      method: 'poll',
      prepared: tables.length > 0,
      retainedBytes: null,
      confirmedPosition: null,
    }),
    drop: async () => {
      tables = [];
      await options.marks?.clear();
    },
    close: async () => undefined,
  };
}
