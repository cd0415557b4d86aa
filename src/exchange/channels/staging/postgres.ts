// Writing into a consumer's PostgreSQL staging database. The connection goes through net/'s
// checked socket: the address the consumer named is checked by the outbound policy, and the
// connection goes to the address that was checked (dependency-cruiser requires the import).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { checkedSocket, type OutboundPolicy } from '../../../net/index.js';
import type { PushBatch } from '../types.js';
import { DEFAULT_LIMITS, type StagingBackend, type StagingLimits, type StagingPosition } from './backend.js';
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
import { copyLine, rowValues } from './values.js';

const q = (name: string) => quoteIdent('postgres', name);
// A statement binds at most 65,535 parameters; a multi-row upsert stays well under.
const MAX_PARAMS = 60_000;
const MAX_ROWS = 5_000;

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
  // The columns the table was checked against; checked again when they change or after a failure.
  let ensured: string | null = null;

  async function ensure(client: pg.PoolClient, columns: StagingColumn[]): Promise<void> {
    const signature = JSON.stringify(columns);
    if (ensured === signature) return;
    await client.query(createPositionsSql('postgres', positions));
    const existing = await client.query<{ name: string; dataType: string }>(
      `SELECT column_name AS "name", data_type AS "dataType" FROM information_schema.columns
        WHERE table_schema = COALESCE($1, current_schema()) AND table_name = $2`,
      [schema, config.table],
    );
    if (existing.rows.length) checkExisting('postgres', config.table, columns, existing.rows);
    else await client.query(createTableSql('postgres', table, columns));
    ensured = signature;
  }

  async function upsert(
    client: pg.PoolClient,
    columns: StagingColumn[],
    step: Extract<Step, { op: 'upsert' }>,
  ) {
    const names = columns.map((c) => q(c.name)).join(', ');
    const updates = columns
      .filter((c) => c.name !== KEY_COLUMN)
      .map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`);
    const onConflict = updates.length ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING';
    const per = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns.length)));
    for (let i = 0; i < step.events.length; i += per) {
      const chunk = step.events.slice(i, i + per);
      const params: unknown[] = [];
      const tuples = chunk.map((e) => {
        const start = params.length;
        params.push(...rowValues('postgres', columns, e.keyId, e.row));
        return `(${columns.map((_, j) => `$${start + j + 1}`).join(', ')})`;
      });
      await client.query(
        `INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')} ON CONFLICT (${q(KEY_COLUMN)}) ${onConflict}`,
        params,
      );
    }
  }

  // The snapshot's fast path: COPY FROM STDIN, in 256 KB chunks of text rows.
  async function copy(
    client: pg.PoolClient,
    columns: StagingColumn[],
    step: Extract<Step, { op: 'upsert' }>,
  ) {
    const names = columns.map((c) => q(c.name)).join(', ');
    function* chunks() {
      let buffer = '';
      for (const e of step.events) {
        buffer += copyLine(rowValues('postgres', columns, e.keyId, e.row));
        if (buffer.length >= 262_144) {
          yield buffer;
          buffer = '';
        }
      }
      if (buffer) yield buffer;
    }
    await pipeline(
      Readable.from(chunks()),
      client.query(copyStreams.from(`COPY ${table} (${names}) FROM STDIN`)),
    );
  }

  async function apply(client: pg.PoolClient, batch: PushBatch, columns: StagingColumn[]): Promise<void> {
    const id = batch.target.subscriptionId;
    await client.query(
      `INSERT INTO ${positions} (subscription_id, last_seq) VALUES ($1, 0) ON CONFLICT DO NOTHING`,
      [id],
    );
    // The row lock serialises two deliverers of one subscription: the second sees the first's position.
    const position = await client.query<{ last_seq: string; last_event_id: string | null }>(
      `SELECT last_seq, last_event_id FROM ${positions} WHERE subscription_id = $1 FOR UPDATE`,
      [id],
    );
    const row = position.rows[0];
    const lastSeq = Number(row?.last_seq ?? 0);
    // A subscription's first delivery into a table we made earlier (for a subscription since
    // deleted) starts from an empty table: rows keyed for another subscription would never go.
    if (lastSeq === 0 && row?.last_event_id === null) await client.query(`DELETE FROM ${table}`);
    const plan = planBatch(batch.events, lastSeq);
    if (!plan.last) return;
    const only = plan.steps[0];
    if (
      batch.snapshot &&
      plan.steps.length === 1 &&
      only?.op === 'upsert' &&
      only.events.every((e) => e.op === 'insert')
    ) {
      await client.query('SAVEPOINT huitong_copy');
      try {
        await copy(client, columns, only);
      } catch (error) {
        // A key already there (a snapshot read again): upsert instead, in the same transaction.
        if ((error as { code?: string }).code !== '23505') throw error;
        await client.query('ROLLBACK TO SAVEPOINT huitong_copy');
        await upsert(client, columns, only);
      }
    } else
      for (const step of plan.steps)
        if (step.op === 'upsert') await upsert(client, columns, step);
        else
          await client.query(`DELETE FROM ${table} WHERE ${q(KEY_COLUMN)} = ANY($1::text[])`, [step.keyIds]);
    await client.query(
      `UPDATE ${positions} SET last_seq = $2, last_event_id = $3, updated_at = now() WHERE subscription_id = $1`,
      [id, plan.last.seq, plan.last.eventId],
    );
  }

  return {
    async deliver(batch) {
      if (!batch.events.length) return;
      const columns = stagingColumns('postgres', batch.columns);
      let client: pg.PoolClient | undefined;
      let broken: Error | undefined;
      try {
        client = await pool.connect();
        await ensure(client, columns);
        await client.query('BEGIN');
        await apply(client, batch, columns);
        await client.query('COMMIT');
      } catch (error) {
        ensured = null;
        if (client) await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        throw stagingError(error);
      } finally {
        // A connection whose ROLLBACK failed is not returned to the pool.
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
        return row
          ? ({ lastSeq: Number(row.last_seq), lastEventId: row.last_event_id } satisfies StagingPosition)
          : null;
      } catch (error) {
        if ((error as { code?: string }).code === '42P01') return null;
        throw stagingError(error);
      }
    },
    close: () => pool.end(),
  };
}
