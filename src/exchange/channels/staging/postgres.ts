// Writing into a consumer's PostgreSQL staging database. The connection goes through net/'s
// checked socket: the address the consumer named is checked by the outbound policy, and the
// connection goes to the address that was checked (dependency-cruiser requires the import).
import pg from 'pg';
import { checkedSocket, type OutboundPolicy } from '../../../net/index.js';
import type { PushBatch } from '../types.js';
import { DEFAULT_LIMITS, type StagingBackend, type StagingLimits } from './backend.js';
import { type StagingConfig, stagingTlsOptions } from './config.js';
import { stagingError } from './errors.js';
import { planBatch } from './plan.js';
import { chunkFailure, loadSnapshotChunks } from './postgres-snapshot.js';
import { copyRows, deleteRows, hasPrimaryKey, sealTable, upsertRows } from './postgres-write.js';
import {
  checkExisting,
  createPositionsSql,
  createTableSql,
  POSITIONS_TABLE,
  quoteIdent,
  type StagingColumn,
  stagingColumns,
} from './table.js';

const q = (name: string) => quoteIdent('postgres', name);

/** A writer into a PostgreSQL staging database, over one connection of its own. */
export function postgresStaging(
  config: StagingConfig,
  policy: OutboundPolicy,
  limits: StagingLimits = DEFAULT_LIMITS,
): StagingBackend {
  const pool = new pg.Pool({
    stream: () => checkedSocket(policy),
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.password,
    ssl: stagingTlsOptions(config.ssl, config.host) ?? false,
    // One subscription's batches are applied one after another: one connection suffices.
    max: 1,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: limits.statementTimeoutMs,
    application_name: 'huitong-staging',
    // Instants without an offset are read as UTC, as MySQL sessions are set to +00:00.
    options: '-c TimeZone=UTC',
  });
  pool.on('error', () => undefined);
  const schema = config.schema ?? null;
  const qualify = (name: string) => (schema ? `${q(schema)}.${q(name)}` : q(name));
  const table = qualify(config.table);
  const positions = qualify(POSITIONS_TABLE);
  // The columns the table was checked against, and whether it has its primary key yet; both
  // looked at again when the columns change or after any failure.
  let ensured: { signature: string; keyed: boolean } | null = null;

  async function ensure(client: pg.PoolClient, columns: StagingColumn[]): Promise<{ keyed: boolean }> {
    const signature = JSON.stringify(columns);
    if (ensured?.signature === signature) return ensured;
    await client.query(createPositionsSql('postgres', positions));
    const existing = await client.query<{ name: string; dataType: string }>(
      `SELECT column_name AS "name", data_type AS "dataType" FROM information_schema.columns
        WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2`,
      [schema, config.table],
    );
    if (existing.rows.length) checkExisting('postgres', config.table, columns, existing.rows);
    else await client.query(createTableSql('postgres', table, columns));
    ensured = {
      signature,
      keyed: existing.rows.length > 0 && (await hasPrimaryKey(client, table, config.table)),
    };
    return ensured;
  }

  async function apply(
    client: pg.PoolClient,
    batch: PushBatch,
    columns: StagingColumn[],
    state: { keyed: boolean },
  ): Promise<boolean> {
    const id = batch.target.subscriptionId;
    // The row lock serialises two deliverers of one subscription: the second sees the first's
    // position. A subscription's first batch makes its row first (one more round trip, once).
    const lock = () =>
      client.query<{ last_seq: string; last_event_id: string | null }>(
        `SELECT last_seq, last_event_id FROM ${positions} WHERE subscription_id = $1 FOR UPDATE`,
        [id],
      );
    let position = await lock();
    if (!position.rows.length) {
      await client.query(
        `INSERT INTO ${positions} (subscription_id, last_seq) VALUES ($1, 0) ON CONFLICT DO NOTHING`,
        [id],
      );
      position = await lock();
    }
    const row = position.rows[0];
    const lastSeq = Number(row?.last_seq ?? 0);
    // A subscription's first delivery into a table we made earlier (for a subscription since
    // deleted) starts from an empty table: rows keyed for another subscription would never go.
    if (lastSeq === 0 && row?.last_event_id === null) await client.query(`DELETE FROM ${table}`);
    const plan = planBatch(batch.events, lastSeq);
    if (!plan.last) return state.keyed;
    const only = plan.steps[0];
    const load =
      batch.snapshot &&
      plan.steps.length === 1 &&
      only?.op === 'upsert' &&
      only.events.every((e) => e.op === 'insert');
    if (load && !state.keyed) await copyRows(client, table, columns, only);
    else if (load) {
      await client.query('SAVEPOINT huitong_copy');
      try {
        await copyRows(client, table, columns, only);
      } catch (error) {
        // A key already there (a snapshot row sent again): upsert instead, in the same transaction.
        if ((error as { code?: string }).code !== '23505') throw error;
        await client.query('ROLLBACK TO SAVEPOINT huitong_copy');
        await upsertRows(client, table, columns, only);
      }
    } else {
      if (!state.keyed) await sealTable(client, table);
      for (const step of plan.steps)
        if (step.op === 'upsert') await upsertRows(client, table, columns, step);
        else await deleteRows(client, table, step.keyIds);
    }
    await client.query(
      `UPDATE ${positions} SET last_seq = $2, last_event_id = $3, updated_at = now() WHERE subscription_id = $1`,
      [id, plan.last.seq, plan.last.eventId],
    );
    // Whether the table has its primary key once this commits.
    return state.keyed || !load;
  }

  return {
    async deliver(batch) {
      if (!batch.events.length) return;
      const columns = stagingColumns('postgres', batch.columns);
      let client: pg.PoolClient | undefined;
      let broken: Error | undefined;
      try {
        client = await pool.connect();
        // A checked-out client whose connection ends between statements emits 'error': the
        // statement in flight fails anyway, and the client is then dropped (release(broken)).
        if (!client.listenerCount('error')) client.on('error', () => undefined);
        const state = await ensure(client, columns);
        await client.query('BEGIN');
        const keyed = await apply(client, batch, columns, state);
        await client.query('COMMIT');
        state.keyed = keyed;
      } catch (error) {
        ensured = null;
        if (client) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw stagingError(error);
      } finally {
        // A connection whose ROLLBACK failed is not returned to the pool.
        client?.release(broken);
      }
    },
    async loadSnapshot(load) {
      let client: pg.PoolClient | undefined;
      let broken: Error | undefined;
      try {
        client = await pool.connect();
        if (!client.listenerCount('error')) client.on('error', () => undefined);
        await client.query('BEGIN');
        const rows = await loadSnapshotChunks(
          client,
          {
            table,
            positions,
            ensure,
            ensurePositions: async (c) => void (await c.query(createPositionsSql('postgres', positions))),
            tableExists: async (c) =>
              (await c.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [table])).rows[0]?.t !=
              null,
            columnsOf: (chunk) => stagingColumns('postgres', chunk.columns),
          },
          load,
        );
        await client.query('COMMIT');
        return rows;
      } catch (error) {
        if (client) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        const failed = chunkFailure(error);
        throw failed ? failed.reason : stagingError(error);
      } finally {
        // Made or checked inside the transaction: looked at again by the next delivery.
        ensured = null;
        client?.release(broken);
      }
    },
    async readPosition(subscriptionId) {
      try {
        const result = await pool.query<{ last_seq: string; last_event_id: string | null }>(
          `SELECT last_seq, last_event_id FROM ${positions} WHERE subscription_id = $1`,
          [subscriptionId],
        );
        const row = result.rows[0];
        return row ? { lastSeq: Number(row.last_seq), lastEventId: row.last_event_id } : null;
      } catch (error) {
        if ((error as { code?: string }).code === '42P01') return null;
        throw stagingError(error);
      }
    },
    close: () => pool.end(),
  };
}
