// Writing into a consumer's MySQL or MariaDB staging database. The connection goes through net/'s
// checked socket: the address the consumer named is checked by the outbound policy, and the
// connection goes to the address that was checked (dependency-cruiser requires the import).
import mysql from 'mysql2';
import type { PoolConnection } from 'mysql2/promise';
import { checkedSocket, type OutboundPolicy } from '../../../net/index.js';
import { ChannelError, type PushBatch } from '../types.js';
import { DEFAULT_LIMITS, type StagingBackend, type StagingLimits } from './backend.js';
import { type StagingConfig, stagingTlsOptions } from './config.js';
import { stagingError } from './errors.js';
import { planBatch, type Step } from './plan.js';
import {
  checkExisting,
  createPositionsSql,
  createTableSql,
  KEY_COLUMN,
  POSITIONS_TABLE,
  quoteIdent,
  type StagingColumn,
  stagingColumns,
} from './table.js';
import { rowValues } from './values.js';

const q = (name: string) => quoteIdent('mysql', name);
// A statement must fit max_allowed_packet (16 MB by default on MariaDB, 64 MB on MySQL 8).
const MAX_STATEMENT_BYTES = 4_000_000;
const MAX_ROWS = 5_000;

const approxBytes = (values: unknown[]) =>
  values.reduce<number>((n, v) => n + (typeof v === 'string' ? v.length * 3 : 24) + 4, 16);

/** A writer into a MySQL/MariaDB staging database, over one connection of its own. */
export function mysqlStaging(
  config: StagingConfig,
  policy: OutboundPolicy,
  limits: StagingLimits = DEFAULT_LIMITS,
): StagingBackend {
  const ssl = stagingTlsOptions(config.ssl, config.host);
  const pool = mysql
    .createPool({
      // mysql2 connects a stream it is given no further: connect it here, through the policy.
      stream: () => {
        const socket = checkedSocket(policy);
        socket.setNoDelay(true);
        return socket.connect(config.port, config.host);
      },
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      password: config.password,
      ...(ssl ? { ssl } : {}),
      // One subscription's batches are applied one after another: one connection suffices.
      connectionLimit: 1,
      maxIdle: 1,
      idleTimeout: 30_000,
      connectTimeout: limits.connectTimeoutMs,
      supportBigNumbers: true,
      bigNumberStrings: true,
      timezone: 'Z',
      charset: 'utf8mb4',
    })
    .promise();
  const table = q(config.table);
  const positions = q(POSITIONS_TABLE);
  let ensured: string | null = null;

  async function ensure(conn: PoolConnection, columns: StagingColumn[]): Promise<void> {
    const signature = JSON.stringify(columns);
    if (ensured === signature) return;
    await conn.query(createPositionsSql('mysql', positions));
    const [existing] = await conn.query(
      `SELECT column_name AS name, data_type AS dataType, column_key AS columnKey FROM information_schema.columns
        WHERE table_schema = DATABASE() AND table_name = ?`,
      [config.table],
    );
    const rows = existing as { name: string; dataType: string; columnKey: string }[];
    if (rows.length) {
      checkExisting('mysql', config.table, columns, rows);
      // The upserts go by huitong_key_id: it must be the primary key, and the only one.
      const primary = rows.filter((r) => r.columnKey === 'PRI').map((r) => r.name);
      if (primary.length !== 1 || primary[0] !== KEY_COLUMN)
        throw new ChannelError(
          'staging_table_conflict',
          `The table ${config.table} exists in the staging database with another primary key (${primary.join(', ') || 'none'})`,
          false,
        );
    } else await conn.query(createTableSql('mysql', table, columns));
    ensured = signature;
  }

  async function upsert(
    conn: PoolConnection,
    columns: StagingColumn[],
    step: Extract<Step, { op: 'upsert' }>,
  ) {
    const names = columns.map((c) => q(c.name)).join(', ');
    const updates = columns.map((c) => `${q(c.name)} = VALUES(${q(c.name)})`).join(', ');
    const sql = `INSERT INTO ${table} (${names}) VALUES ? ON DUPLICATE KEY UPDATE ${updates}`;
    let chunk: unknown[][] = [];
    let bytes = 0;
    for (const e of step.events) {
      const values = rowValues('mysql', columns, e.keyId, e.row);
      chunk.push(values);
      bytes += approxBytes(values);
      if (chunk.length >= MAX_ROWS || bytes >= MAX_STATEMENT_BYTES) {
        // mysql2 escapes each value (the nested array becomes the row list): no value is SQL text.
        await conn.query(sql, [chunk]);
        chunk = [];
        bytes = 0;
      }
    }
    if (chunk.length) await conn.query(sql, [chunk]);
  }

  async function apply(conn: PoolConnection, batch: PushBatch, columns: StagingColumn[]): Promise<void> {
    const id = batch.target.subscriptionId;
    // The row lock serialises two deliverers of one subscription: the second sees the first's
    // position. A subscription's first batch makes its row first (one more round trip, once).
    const lock = async () =>
      (
        await conn.query(
          `SELECT last_seq, last_event_id FROM ${positions} WHERE subscription_id = ? FOR UPDATE`,
          [id],
        )
      )[0] as { last_seq: string; last_event_id: string | null }[];
    let found = await lock();
    if (!found.length) {
      await conn.query(
        `INSERT IGNORE INTO ${positions} (subscription_id, last_seq, updated_at) VALUES (?, 0, UTC_TIMESTAMP(6))`,
        [id],
      );
      found = await lock();
    }
    const row = found[0];
    const lastSeq = Number(row?.last_seq ?? 0);
    // A subscription's first delivery into a table we made earlier (for a subscription since
    // deleted) starts from an empty table: rows keyed for another subscription would never go.
    // DELETE, not TRUNCATE: TRUNCATE would commit the transaction.
    if (lastSeq === 0 && row?.last_event_id === null) await conn.query(`DELETE FROM ${table}`);
    const plan = planBatch(batch.events, lastSeq);
    if (!plan.last) return;
    for (const step of plan.steps)
      if (step.op === 'upsert') await upsert(conn, columns, step);
      else
        for (let i = 0; i < step.keyIds.length; i += MAX_ROWS)
          await conn.query(`DELETE FROM ${table} WHERE ${q(KEY_COLUMN)} IN (?)`, [
            step.keyIds.slice(i, i + MAX_ROWS),
          ]);
    await conn.query(
      `UPDATE ${positions} SET last_seq = ?, last_event_id = ?, updated_at = UTC_TIMESTAMP(6) WHERE subscription_id = ?`,
      [plan.last.seq, plan.last.eventId, id],
    );
  }

  return {
    async deliver(batch) {
      if (!batch.events.length) return;
      const columns = stagingColumns('mysql', batch.columns);
      let conn: PoolConnection | undefined;
      let broken = false;
      try {
        conn = await pool.getConnection();
        await ensure(conn, columns);
        await conn.beginTransaction();
        await apply(conn, batch, columns);
        await conn.commit();
      } catch (error) {
        ensured = null;
        if (conn) await conn.rollback().catch(() => (broken = true));
        throw stagingError(error);
      } finally {
        // A connection whose ROLLBACK failed is closed rather than reused.
        if (conn && broken) conn.destroy();
        else conn?.release();
      }
    },
    async readPosition(subscriptionId) {
      try {
        const [rows] = await pool.query(
          `SELECT last_seq, last_event_id FROM ${positions} WHERE subscription_id = ?`,
          [subscriptionId],
        );
        const row = (rows as { last_seq: string; last_event_id: string | null }[])[0];
        return row ? { lastSeq: Number(row.last_seq), lastEventId: row.last_event_id } : null;
      } catch (error) {
        if ((error as { errno?: number }).errno === 1146) return null;
        throw stagingError(error);
      }
    },
    close: () => pool.end(),
  };
}
