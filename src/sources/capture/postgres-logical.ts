import type { ClientConfig } from 'pg';
import type { Pgoutput } from 'pg-logical-replication';
import { LogicalReplicationService, PgoutputPlugin } from 'pg-logical-replication';
import { ConflictError } from '../../errors/index.js';
import type { PostgresSession } from '../connectors/postgres.js';
import type { BatchHandler, CapturedChange, CaptureStatus, CaptureTable, ChangeCapture } from './types.js';

/** What the logical capture needs from the PostgreSQL connector. */
export interface PostgresCaptureAccess {
  /** The replication connection's client options (through the outbound policy). */
  clientConfig: ClientConfig;
  /** A read-write session for the publication and the slot. */
  session(): Promise<PostgresSession>;
  /** Parses a column's text value as reads do (int8 as a number, dates as text). */
  typeParser(oid: number): (value: string) => unknown;
}

/** The slot's and the publication's name for a source: `huitong_` and the id's hex digits. */
export function captureSlotName(sourceId: string): string {
  return `huitong_${sourceId.replace(/[^0-9a-f]/gi, '').toLowerCase()}`;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const relation = (t: CaptureTable) => (t.schema ? `${quote(t.schema)}.${quote(t.table)}` : quote(t.table));

// The plugin parses each tuple with pg's global parsers; ours give the values reads give, so a
// subscriber sees the same value in the snapshot and in later changes.
class HuitongPgoutput extends PgoutputPlugin {
  constructor(
    options: ConstructorParameters<typeof PgoutputPlugin>[0],
    private readonly typeParser: PostgresCaptureAccess['typeParser'],
  ) {
    super(options);
  }
  override parse(buffer: Buffer): Pgoutput.Message {
    const message = super.parse(buffer);
    // The relation is cached by the parser and reused for the tuples that follow, which are
    // parsed as they arrive (before our handler runs): patch it here, synchronously.
    if (message.tag === 'relation')
      for (const column of message.columns) column.parser = this.typeParser(column.typeOid);
    return message;
  }
}

// The most changes several small transactions received together are delivered as one batch.
const COALESCE_CHANGES = 5000;

function keyOf(columns: string[], ...tuples: (Record<string, unknown> | null)[]): Record<string, unknown> {
  const tuple = tuples.find((t) => t) ?? {};
  return Object.fromEntries(columns.map((c) => [c, tuple[c] ?? null]));
}

/** One data message as a change, or null for anything else. */
function changeOf(message: Pgoutput.Message): CapturedChange | null {
  if (message.tag !== 'insert' && message.tag !== 'update' && message.tag !== 'delete') return null;
  const { schema, name, keyColumns } = message.relation;
  const base = { schema, table: name };
  if (message.tag === 'delete')
    return { ...base, op: 'delete', key: keyOf(keyColumns, message.key, message.old), row: null };
  return { ...base, op: message.tag, key: keyOf(keyColumns, message.new), row: { ...message.new } };
}

/**
 * Change capture by PostgreSQL's logical replication with the built-in `pgoutput` plugin: a
 * publication for exactly the bound tables and one replication slot per source. The slot is
 * acknowledged only after a transaction's changes are stored, so it keeps (and resends after a
 * restart) whatever was not; `drop` removes slot and publication.
 */
export function postgresLogicalCapture(sourceId: string, access: PostgresCaptureAccess): ChangeCapture {
  const name = captureSlotName(sourceId);
  const withSession = async <T>(work: (s: PostgresSession) => Promise<T>): Promise<T> => {
    const session = await access.session();
    try {
      return await work(session);
    } finally {
      await session.end().catch(() => undefined);
    }
  };

  async function dropAll(s: PostgresSession): Promise<void> {
    // A walsender still streaming from the slot holds it: end it first (ours, after a crash).
    await s.query(
      // With a timeout, pg_terminate_backend waits for the backend to exit: without one it returns
      // at once, and dropping the slot still held answers 55006 (object in use), leaving it behind.
      'SELECT pg_terminate_backend(active_pid, 10000) FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL',
      [name],
    );
    await s.query(
      'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1',
      [name],
    );
    await s.query(`DROP PUBLICATION IF EXISTS ${quote(name)}`);
  }

  return {
    method: 'logical',
    prepare: (tables) =>
      withSession(async (s) => {
        // Two prepares of one source at once (a subscription being created while the delivery
        // loop starts) would both find no publication and both create it: they take turns. The
        // lock is the session's and goes with it.
        await s.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
        if (tables.length === 0) return dropAll(s);
        await refuseTablesWithoutIdentity(s, tables);
        const list = tables.map(relation).join(', ');
        const [exists] = await s.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [name]);
        await s.query(
          exists
            ? `ALTER PUBLICATION ${quote(name)} SET TABLE ${list}`
            : `CREATE PUBLICATION ${quote(name)} FOR TABLE ${list}`,
        );
        const [slot] = await s.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [name]);
        if (!slot) await s.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [name]);
      }),
    keyColumns: (t) =>
      withSession(async (s) =>
        (
          await s.query<{ name: string }>(
            `SELECT a.attname AS name
               FROM pg_index i
               JOIN pg_class c ON c.oid = i.indrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord) ON true
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
              WHERE i.indisprimary AND c.relname = $1 AND n.nspname = coalesce($2, current_schema())
              ORDER BY k.ord`,
            [t.table, t.schema],
          )
        ).map((r) => r.name),
      ),
    run: (from, onBatch, signal) => stream(name, access, from, onBatch, signal),
    status: () =>
      withSession(async (s): Promise<CaptureStatus> => {
        const [row] = await s.query<{ confirmed: string | null; retained: string | null }>(
          `SELECT confirmed_flush_lsn::text AS confirmed,
                  pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::text AS retained
             FROM pg_replication_slots WHERE slot_name = $1`,
          [name],
        );
        return {
          method: 'logical',
          prepared: row !== undefined,
          retainedBytes: row?.retained ? Number(row.retained) : null,
          confirmedPosition: row?.confirmed ?? null,
        };
      }),
    drop: () => withSession(dropAll),
    close: async () => undefined,
  };
}

// A table without a replica identity in a publication makes the provider's own UPDATE and DELETE
// fail: refuse to publish it rather than break their system.
async function refuseTablesWithoutIdentity(s: PostgresSession, tables: CaptureTable[]): Promise<void> {
  for (const t of tables) {
    const [row] = await s.query<{ ident: string; has_key: boolean }>(
      `SELECT c.relreplident AS ident,
              EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) AS has_key
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname = $1 AND n.nspname = coalesce($2, current_schema())`,
      [t.table, t.schema],
    );
    if (!row) throw new ConflictError('capture_table_missing', `Table ${t.table} is not in the source`);
    if (row.ident === 'n' || (row.ident === 'd' && !row.has_key))
      throw new ConflictError('capture_needs_key', `Table ${t.table} has no primary key or replica identity`);
  }
}

function stream(
  name: string,
  access: PostgresCaptureAccess,
  from: string | null,
  onBatch: BatchHandler,
  signal: AbortSignal,
): Promise<void> {
  const service = new LogicalReplicationService(access.clientConfig, {
    // Acknowledged by hand, after the batch is stored; the library's timer would acknowledge
    // what was merely received.
    acknowledge: { auto: false, timeoutSeconds: 0 },
    flowControl: { enabled: true },
  });
  const plugin = new HuitongPgoutput({ protoVersion: 1, publicationNames: [name] }, access.typeParser);
  let pending: CapturedChange[] = [];
  let inTransaction = false;
  let busy = false;
  let acknowledged = from ?? '0/0';
  let failed: unknown;
  const queued = () => (service as unknown as { _messageQueue: unknown[] })._messageQueue.length;

  return new Promise<void>((resolve, reject) => {
    const finish = (error?: unknown) => {
      signal.removeEventListener('abort', onAbort);
      service.destroy().then(
        () => (error === undefined ? resolve() : reject(error)),
        () => (error === undefined ? resolve() : reject(error)),
      );
    };
    const onAbort = () => finish();
    signal.addEventListener('abort', onAbort, { once: true });
    service.on('data', async (_lsn: string, message: Pgoutput.Message) => {
      if (failed !== undefined || signal.aborted) return;
      busy = true;
      try {
        if (message.tag === 'begin') {
          inTransaction = true;
          return;
        }
        const change = changeOf(message);
        if (change) pending.push(change);
        if (message.tag === 'commit' && message.commitEndLsn) {
          inTransaction = false;
          // Transactions already received behind this one join its batch (one enforcement, one
          // release entry and one store transaction for many small transactions), up to a
          // bound; the batch's position is its last commit, so it is stored and acknowledged
          // whole or resent whole. Only data messages are queued: one is always coming.
          if (queued() > 0 && pending.length < COALESCE_CHANGES) return;
          const changes = pending;
          pending = [];
          if (changes.length > 0) await onBatch({ changes, position: message.commitEndLsn });
          acknowledged = message.commitEndLsn;
          await service.acknowledge(acknowledged);
        }
      } catch (error) {
        // The library would go on with the next message; a batch not stored must stop the stream
        // unacknowledged, so the slot resends it.
        failed = error;
        finish(error);
      } finally {
        busy = false;
      }
    });
    service.on('heartbeat', async (lsn: string, _timestamp: number, shouldRespond: boolean) => {
      if (failed !== undefined || signal.aborted) return;
      // Idle: everything sent has been handled, so the slot may move to the server's position
      // (else writes to other tables would pile up WAL behind it). Busy: confirm what is stored.
      if (!inTransaction && !busy && queued() === 0 && pending.length === 0) acknowledged = lsn;
      if (shouldRespond || !inTransaction) await service.acknowledge(acknowledged).catch(() => undefined);
    });
    service.on('error', (error: Error) => {
      if (failed === undefined && !signal.aborted) {
        failed = error;
        finish(error);
      }
    });
    if (signal.aborted) return finish();
    (from ? service.subscribe(plugin, name, from) : service.subscribe(plugin, name)).then(
      () => {
        if (failed === undefined) finish();
      },
      (error: unknown) => {
        if (failed === undefined && !signal.aborted) {
          failed = error;
          finish(error);
        }
      },
    );
  });
}
