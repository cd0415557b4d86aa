import pg from 'pg';
import { checkedSocket, type OutboundPolicy } from '../../net/index.js';
import type { DatabaseConfig } from '../source-config.js';
import { POSTGRES } from '../sql/dialect.js';
import type { DescribedColumn } from '../types.js';
import { classifySourceError } from './classify-error.js';
import type { Connector } from './connector.js';
import { copyOut, copyStatement } from './postgres-copy.js';
import { describePostgres, describePostgresFrom } from './postgres-describe.js';
import { memoDescribe, parsePlan, relationSql, sqlRead } from './sql-read.js';
import { tlsOptions } from './tls.js';

/** Connection limits shared by the SQL connectors. */
export interface SqlLimits {
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  maxConnections: number;
}

// Values as the query pipeline expects them: int8 as a number when exact (else a bigint), dates
// as 'YYYY-MM-DD' text (a Date would shift by the server's time zone), numeric as exact text.
const int8 = (v: string) => (Number.isSafeInteger(Number(v)) ? Number(v) : BigInt(v));
/** The text parser of a type, as reads parse it: change capture parses its tuples the same way. */
export function postgresTypeParser(oid: number): (value: string) => unknown {
  if (oid === 20) return int8;
  if (oid === 1082) return (v: string) => v;
  return pg.types.getTypeParser(oid, 'text');
}
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    format === 'binary'
      ? pg.types.getTypeParser(oid, 'binary')
      : postgresTypeParser(oid)) as typeof pg.types.getTypeParser,
};

/** How a client reaches the source: through `outbound`'s checked socket, with the source's credentials. */
export function postgresClientConfig(
  config: DatabaseConfig,
  password: string | undefined,
  limits: SqlLimits,
  outbound: OutboundPolicy,
): pg.ClientConfig {
  return {
    stream: () => checkedSocket(outbound),
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: password ?? '',
    ssl: tlsOptions(config.tls, config.host) ?? false,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    application_name: 'huitong-capture',
  };
}

/** One statement runner over a single session (not read-only): change capture's publication and slot. */
export interface PostgresSession {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  end(): Promise<void>;
}

/**
 * A read-write session for change capture's administration (CREATE PUBLICATION, the replication
 * slot); errors are classified like reads'. Reads never use it.
 */
export async function openPostgresSession(
  clientConfig: pg.ClientConfig,
  connectTimeoutMs: number,
): Promise<PostgresSession> {
  const client = new pg.Client(clientConfig);
  client.on('error', () => undefined);
  await client.connect().catch((e) => {
    throw classifySourceError(e, connectTimeoutMs);
  });
  return {
    query: async <R>(text: string, params: unknown[] = []) =>
      (
        await client.query(text, params).catch((e) => {
          throw classifySourceError(e, connectTimeoutMs);
        })
      ).rows as R[],
    end: () => client.end(),
  };
}

/**
 * A connector to a PostgreSQL database through a small pool of its own. Every connection the pool
 * opens asks `outbound` first and goes to the address it checked; the host name stays for TLS.
 */
export function postgresConnector(
  config: DatabaseConfig,
  password: string | undefined,
  limits: SqlLimits,
  outbound: OutboundPolicy,
): Connector {
  const pool = new pg.Pool({
    stream: () => checkedSocket(outbound),
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: password ?? '',
    ssl: tlsOptions(config.tls, config.host) ?? false,
    max: limits.maxConnections,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: limits.queryTimeoutMs,
    application_name: 'huitong',
    // Every statement of these sessions is read-only: a steward's SELECT cannot write, cursor or not.
    options: '-c default_transaction_read_only=on',
    types,
  });
  // An idle client whose server goes away must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  const fail = (error: unknown) => classifySourceError(error, limits.connectTimeoutMs);

  async function withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect().catch((e) => {
      throw fail(e);
    });
    try {
      return await work(client);
    } catch (error) {
      throw fail(error);
    } finally {
      client.release();
    }
  }

  const describeFrom = (from: Parameters<Connector['describeFrom']>[0]): Promise<DescribedColumn[]> =>
    withClient((client) => describePostgresFrom(client, from));

  const describeForReads = memoDescribe(describeFrom);

  async function* stream(select: { text: string; params: unknown[] }, batchSize: number, single: boolean) {
    if (single) {
      // One round trip instead of four; the sessions are read-only (see the pool's options).
      const { rows } = await pool
        .query<unknown[]>({ text: select.text, values: select.params, rowMode: 'array' })
        .catch((e) => {
          throw fail(e);
        });
      if (rows.length > 0) yield rows;
      return;
    }
    const client = await pool.connect().catch((e) => {
      throw fail(e);
    });
    let broken: unknown;
    let open = false;
    try {
      // A server-side cursor: the source sends one batch per FETCH, so memory holds one batch and
      // a slow consumer slows the source. READ ONLY keeps a steward's SELECT from writing.
      await client.query('BEGIN READ ONLY');
      open = true;
      await client.query(`DECLARE huitong_read NO SCROLL CURSOR FOR ${select.text}`, select.params);
      for (;;) {
        const { rows } = await client.query<unknown[]>({
          text: `FETCH FORWARD ${batchSize} FROM huitong_read`,
          rowMode: 'array',
        });
        if (rows.length > 0) yield rows;
        if (rows.length < batchSize) break;
      }
      await client.query('COMMIT');
      open = false;
    } catch (error) {
      broken = error;
      throw fail(error);
    } finally {
      // An abandoned or failed read leaves the transaction open: destroy the client rather than reuse it.
      if (open && broken === undefined) await client.query('ROLLBACK').catch(() => undefined);
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  return {
    kind: 'postgres',
    dialect: 'postgres',
    pushdown: true,
    test: async () => {
      const started = performance.now();
      const version = await withClient(async (client) => {
        const { rows } = await client.query<{ version: string }>('SELECT version() AS version');
        return rows[0]?.version ?? null;
      });
      return { ok: true, latencyMs: Math.round(performance.now() - started), serverVersion: version };
    },
    describe: async (options) => ({
      tables: await withClient((client) => describePostgres(client, options?.schema)),
    }),
    describeFrom,
    read: (plan, options) =>
      sqlRead(
        {
          dialect: POSTGRES,
          describeFrom: describeForReads,
          relation: (from) => relationSql(POSTGRES, from),
          stream,
          probeNarrowed: true,
        },
        plan,
        options?.batchSize,
      ),
    copyOut: async (plan) => {
      const parsed = parsePlan(plan);
      const statement = copyStatement(
        plan,
        await describeForReads(parsed.from),
        relationSql(POSTGRES, parsed.from),
      );
      return copyOut(pool, statement, fail);
    },
    close: () => pool.end(),
    poolFigures: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
