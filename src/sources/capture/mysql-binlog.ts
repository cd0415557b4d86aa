import { createHash } from 'node:crypto';
import { ConflictError } from '../../errors/index.js';
import type { OutboundPolicy } from '../../net/index.js';
import { classifySourceError } from '../connectors/classify-error.js';
import type { MysqlSession } from '../connectors/mysql-session.js';
import type { SqlLimits } from '../connectors/postgres.js';
import { tlsOptions } from '../connectors/tls.js';
import type { DatabaseConfig } from '../source-config.js';
import { mysqlType } from '../sql/column-types.js';
import { type BinlogPosition, parsePosition, positionText } from './mysql-binlog-position.js';
import { type BinlogTable, streamBinlog } from './mysql-binlog-stream.js';
import type { CaptureStatus, CaptureTable, ChangeCapture } from './types.js';

/**
 * Where `run(null)` begins: the binlog has no slot to hold a starting point at the source, so
 * the first `prepare` records the server's position here (kept by the platform, beside the
 * stored capture position) and `drop` forgets it.
 */
export interface BinlogMarks {
  get(): Promise<string | null>;
  /** Records `position` unless a position is already recorded. */
  setIfAbsent(position: string): Promise<void>;
  clear(): Promise<void>;
}

/** What the binlog capture needs: the source's settings, the outbound policy and a session. */
export interface MysqlBinlogAccess {
  config: DatabaseConfig;
  password: string | undefined;
  limits: SqlLimits;
  outbound: OutboundPolicy;
  session(): Promise<MysqlSession>;
  marks: BinlogMarks;
  /** Empty batches move the stored position at most this often when only other tables change (default 60 s). */
  idleAdvanceMs?: number;
}

/**
 * The replica id the capture announces: one per source, never the common 1. The server ends an
 * older dump with the same id, so two processes capturing one source take turns (each resumes
 * from the stored position: repeats, never losses).
 */
export function binlogServerId(sourceId: string): number {
  return 0x4000_0000 + (createHash('sha256').update(sourceId).digest().readUInt32BE(0) % 0x3fff_ffff);
}

const serverPosition = async (s: MysqlSession): Promise<BinlogPosition> => {
  type Status = { File: string; Position: number | string };
  // MySQL 8.4 renamed it; MariaDB and older MySQL know only the first spelling.
  const [row] = await s
    .query<Status>('SHOW MASTER STATUS')
    .catch(() => s.query<Status>('SHOW BINARY LOG STATUS'));
  if (!row)
    throw new ConflictError('capture_not_configured', 'The source has no binary log (log_bin is off)');
  return { file: row.File, pos: Number(row.Position) };
};

// A grant line that gives the replication privileges (or all of them) on every database.
const REPLICATION = /^GRANT .*\b(ALL PRIVILEGES|REPLICATION SLAVE)\b.* ON \*\.\* TO /i;
const CLIENT = /^GRANT .*\b(ALL PRIVILEGES|REPLICATION CLIENT|BINLOG MONITOR)\b.* ON \*\.\* TO /i;

/** Refuses a server without the row-based binlog, or a user who may not read it. */
async function checkServer(s: MysqlSession): Promise<void> {
  const [v] = await s.query<{ logBin: number | string; format: string | null; image: string | null }>(
    'SELECT @@GLOBAL.log_bin AS logBin, @@GLOBAL.binlog_format AS format, @@GLOBAL.binlog_row_image AS image',
  );
  const problems: string[] = [];
  if (String(v?.logBin) !== '1' && String(v?.logBin).toUpperCase() !== 'ON') problems.push('log_bin = ON');
  if ((v?.format ?? '').toUpperCase() !== 'ROW') problems.push('binlog_format = ROW');
  if (v?.image && v.image.toUpperCase() !== 'FULL') problems.push('binlog_row_image = FULL');
  if (problems.length > 0)
    throw new ConflictError(
      'capture_not_configured',
      `Binlog capture needs the source server set with ${problems.join(', ')} (and a server_id)`,
    );
  const grants = (await s.query<Record<string, string>>('SHOW GRANTS')).flatMap((r) => Object.values(r));
  const missing = [
    grants.some((g) => REPLICATION.test(g)) ? null : 'REPLICATION SLAVE',
    grants.some((g) => CLIENT.test(g)) ? null : 'REPLICATION CLIENT',
  ].filter((m) => m !== null);
  if (missing.length > 0)
    throw new ConflictError(
      'capture_not_configured',
      `Binlog capture needs the source user granted ${missing.join(' and ')} ON *.*`,
    );
}

/**
 * Change capture by the MySQL/MariaDB row-based binlog (`@powersync/mysql-zongji`): the listener
 * reads from the stored position (a binlog file and offset; MariaDB's GTIDs differ from MySQL's,
 * so neither is used), keeps the transactions touching the prepared tables, and hands them over
 * one at a time. Nothing is held at the source: the position is the caller's to store, and a
 * position whose file the server purged is refused (`capture_position_lost`), never skipped.
 */
export function mysqlBinlogCapture(sourceId: string, access: MysqlBinlogAccess): ChangeCapture {
  const database = access.config.database;
  let tables = new Map<string, BinlogTable>();
  const withSession = async <T>(work: (s: MysqlSession) => Promise<T>): Promise<T> => {
    const session = await access.session();
    try {
      return await work(session);
    } finally {
      await session.end();
    }
  };
  const keyColumns = (s: MysqlSession, t: { schema: string | null; table: string }) =>
    s
      .query<{ name: string }>(
        `SELECT COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
          WHERE CONSTRAINT_NAME = 'PRIMARY' AND TABLE_SCHEMA = ? AND TABLE_NAME = ?
          ORDER BY ORDINAL_POSITION`,
        [t.schema ?? database, t.table],
      )
      .then((rows) => rows.map((r) => r.name));

  async function describe(s: MysqlSession, t: CaptureTable): Promise<BinlogTable> {
    const columns = await s.query<{ name: string; type: string }>(
      `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`,
      [t.schema ?? database, t.table],
    );
    if (columns.length === 0)
      throw new ConflictError('capture_table_missing', `Table ${t.table} is not in the source`);
    const keys = await keyColumns(s, t);
    // Without a key, an update or delete cannot say which row it was.
    if (keys.length === 0)
      throw new ConflictError('capture_needs_key', `Table ${t.table} has no primary key`);
    const booleans = new Set(columns.filter((c) => mysqlType(c.type) === 'boolean').map((c) => c.name));
    return { schema: t.schema, table: t.table, keyColumns: keys, booleans };
  }

  async function startOf(s: MysqlSession, from: string | null): Promise<BinlogPosition> {
    const stored = from ?? (await access.marks.get());
    const start = stored ? parsePosition(stored) : await serverPosition(s);
    const files = await s.query<{ Log_name: string }>('SHOW BINARY LOGS');
    if (!files.some((f) => f.Log_name === start.file))
      throw new ConflictError(
        'capture_position_lost',
        `The source no longer has binlog ${start.file}: the changes since the stored position are gone`,
      );
    return start;
  }

  return {
    method: 'binlog',
    prepare: (list) =>
      withSession(async (s) => {
        await checkServer(s);
        const next = new Map<string, BinlogTable>();
        for (const t of list) next.set(`${t.schema ?? database}.${t.table}`, await describe(s, t));
        tables = next;
        await access.marks.setIfAbsent(positionText(await serverPosition(s)));
      }),
    keyColumns: (t) => withSession((s) => keyColumns(s, t)),
    run: async (from, onBatch, signal) => {
      const start = await withSession((s) => startOf(s, from));
      const { config } = access;
      const checked = await access.outbound
        .resolve(config.host, config.port)
        .catch((error: unknown) => Promise.reject(classifySourceError(error)));
      const ssl = tlsOptions(config.tls, config.host);
      await streamBinlog(
        {
          // The listener opens its own sockets and takes no stream: it is given the address the
          // policy checked, so it connects where the check said (a later DNS answer changes nothing).
          connection: {
            host: checked.address,
            port: config.port,
            user: config.user,
            password: access.password ?? '',
            ...(ssl ? { ssl } : {}),
            connectTimeout: access.limits.connectTimeoutMs,
          },
          serverId: binlogServerId(sourceId),
          start,
          tables,
          idleAdvanceMs: access.idleAdvanceMs ?? 60_000,
        },
        onBatch,
        signal,
      );
    },
    status: () =>
      withSession(async (s): Promise<CaptureStatus> => {
        const confirmed = await access.marks.get();
        let behind: number | null = null;
        if (confirmed) {
          // The bytes of binlog after the stored position: how far behind the capture is.
          const at = parsePosition(confirmed);
          const files = await s.query<{ Log_name: string; File_size: number | string }>('SHOW BINARY LOGS');
          const from = files.findIndex((f) => f.Log_name === at.file);
          if (from >= 0) behind = files.slice(from).reduce((sum, f) => sum + Number(f.File_size), 0) - at.pos;
        }
        return {
          method: 'binlog',
          prepared: confirmed !== null,
          retainedBytes: behind,
          confirmedPosition: confirmed,
        };
      }),
    drop: async () => {
      tables = new Map();
      await access.marks.clear();
    },
    close: async () => undefined,
  };
}
