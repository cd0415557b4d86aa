import { createHash } from 'node:crypto';
import { ConflictError } from '../../errors/index.js';
import type { Connector } from '../connectors/connector.js';
import type { CaptureMarks } from './capture-marks.js';
import { sleep } from './sleep.js';
import type { CapturedChange, CaptureTable, ChangeCapture } from './types.js';

/** What a diff capture reads: the source's current version, and a connector over it. */
export interface DiffSource {
  /** A file's version (its stored path): unchanged means nothing to read. Null: read every poll (HTTP). */
  version(): Promise<string | null>;
  connector(): Promise<Connector>;
}

/** Per table: the key (as JSON of its values) → a digest of the row. */
type TableState = Record<string, string>;
/** The position: the version last diffed and each table's keyed digests. */
interface DiffPosition {
  diff: 1;
  version: string | null;
  tables: Record<string, TableState>;
}

const refOf = (t: CaptureTable) => `${t.schema ?? ''}.${t.table}`;
const scalar = (v: unknown): unknown =>
  v instanceof Date ? v.toISOString() : typeof v === 'bigint' ? v.toString() : v;
const digest = (row: Record<string, unknown>) =>
  createHash('sha256')
    .update(JSON.stringify(Object.entries(row).map(([k, v]) => [k, scalar(v)])))
    .digest('base64url')
    .slice(0, 22);

function parsePosition(position: string | null): DiffPosition | null {
  // A position of another method (an LSN, say, before the steward chose polling) is not ours.
  if (!position?.startsWith('{')) return null;
  const parsed = JSON.parse(position) as DiffPosition;
  return parsed.diff === 1 ? parsed : null;
}

/**
 * Change capture by comparing whole versions, for sources without a change log or a keyset:
 * each new version of a file (or each poll of an HTTP JSON source) is read in full and diffed by
 * the steward's key against the previous one. The position keeps, per table, each key's values
 * (a delete must name its key, so they are kept as the polling capture keeps them) and a SHA-256
 * digest of its row: no other provider value is kept.
 */
export function diffCapture(
  source: DiffSource,
  options: { intervalMs?: number; batchSize?: number; marks?: CaptureMarks } = {},
): ChangeCapture {
  const intervalMs = options.intervalMs ?? 5000;
  const batchSize = options.batchSize ?? 1000;
  let tables: CaptureTable[] = [];

  async function readState(connector: Connector, table: CaptureTable) {
    const result = await connector.read(
      { from: { kind: 'table', schema: table.schema, table: table.table }, filters: [] },
      { batchSize },
    );
    const names = result.columns.map((c) => c.name);
    const state: TableState = {};
    const rows = new Map<string, Record<string, unknown>>();
    for await (const batch of result.batches)
      for (const values of batch) {
        const row = Object.fromEntries(names.map((n, i) => [n, values[i]]));
        const key = JSON.stringify(table.keyColumns.map((c) => scalar(row[c]) ?? null));
        state[key] = digest(row);
        rows.set(key, row);
      }
    return { state, rows };
  }

  /** Reads every table now: the changes since `previous` (sorted by key, so a repeat is alike) and the new state. */
  async function diff(previous: DiffPosition | null, version: string | null) {
    const connector = await source.connector();
    const changes: CapturedChange[] = [];
    const next: DiffPosition = { diff: 1, version, tables: {} };
    for (const table of tables) {
      const ref = refOf(table);
      const base = { schema: table.schema, table: table.table };
      const keyOf = (text: string) => {
        const values = JSON.parse(text) as unknown[];
        return Object.fromEntries(table.keyColumns.map((c, i) => [c, values[i]]));
      };
      const { state, rows } = await readState(connector, table);
      const before = previous?.tables[ref] ?? {};
      for (const key of Object.keys(state).sort())
        if (before[key] !== state[key])
          changes.push({
            ...base,
            op: key in before ? 'update' : 'insert',
            key: keyOf(key),
            row: rows.get(key) ?? null,
          });
      for (const key of Object.keys(before).sort())
        if (!(key in state)) changes.push({ ...base, op: 'delete', key: keyOf(key), row: null });
      next.tables[ref] = state;
    }
    return { changes, position: next };
  }

  return {
    method: 'diff',
    prepare: async (list) => {
      for (const t of list)
        if (t.keyColumns.length === 0)
          throw new ConflictError('capture_needs_key', `Comparing versions of ${t.table} needs a key`);
      tables = list;
      // The state the subscription's snapshot is about to read, so the first run misses nothing.
      if (options.marks && (await options.marks.get()) === null) {
        const { position } = await diff(null, await source.version());
        await options.marks.setIfAbsent(JSON.stringify(position));
      }
    },
    keyColumns: async (t) =>
      tables.find((x) => x.table === t.table && x.schema === t.schema)?.keyColumns ?? [],
    run: async (from, onBatch, signal) => {
      let position = parsePosition(from ?? (await options.marks?.get()) ?? null);
      while (!signal.aborted) {
        const version = await source.version();
        if (!position || version === null || version !== position.version) {
          const found = await diff(position, version);
          // Without any position the rows there now are the baseline: nothing is reported.
          const changes = position ? found.changes : [];
          const moved = !position || version !== position.version;
          position = found.position;
          if (changes.length > 0 || moved) await onBatch({ changes, position: JSON.stringify(position) });
        }
        await sleep(intervalMs, signal);
      }
    },
    status: async () => ({
      method: 'diff',
      prepared: tables.length > 0,
      retainedBytes: null,
      confirmedPosition: parsePosition((await options.marks?.get()) ?? null)?.version ?? null,
    }),
    drop: async () => {
      tables = [];
      await options.marks?.clear();
    },
    close: async () => undefined,
  };
}
