import type { Readable } from 'node:stream';
import mysql from 'mysql2';
import type { PoolConnection as PromiseConnection } from 'mysql2/promise';
import { checkedSocket, type OutboundPolicy } from '../../net/index.js';
import type { DatabaseConfig } from '../source-config.js';
import type { BuiltSelect } from '../sql/build-select.js';
import { MYSQL } from '../sql/dialect.js';
import type { DescribedColumn } from '../types.js';
import { classifySourceError } from './classify-error.js';
import type { Connector } from './connector.js';
import { describeMysql, describeMysqlFrom } from './mysql-describe.js';
import type { SqlLimits } from './postgres.js';
import { memoDescribe, relationSql, sqlRead } from './sql-read.js';
import { tlsOptions } from './tls.js';

// MySQL has no boolean type on the wire: tinyint(1) and bit(1) arrive as 0/1 or a one-byte Buffer.
const toBoolean = (v: unknown) => (v === null ? null : Buffer.isBuffer(v) ? v[0] === 1 : Boolean(Number(v)));

/**
 * A connector to a MySQL or MariaDB database through a small pool of its own. Every connection
 * the pool opens asks `outbound` first and goes to the address it checked.
 */
export function mysqlConnector(
  config: DatabaseConfig,
  password: string | undefined,
  limits: SqlLimits,
  outbound: OutboundPolicy,
): Connector {
  const ssl = tlsOptions(config.tls, config.host);
  const pool = mysql.createPool({
    // mysql2 connects a stream it is given no further: connect it here, through the policy.
    stream: () => {
      const socket = checkedSocket(outbound);
      socket.setNoDelay(true);
      return socket.connect(config.port, config.host);
    },
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: password ?? '',
    ...(ssl ? { ssl } : {}),
    connectionLimit: limits.maxConnections,
    maxIdle: limits.maxConnections,
    idleTimeout: 30_000,
    connectTimeout: limits.connectTimeoutMs,
    // Exact values: big integers as numbers only when safe, decimals as text, DATE as 'YYYY-MM-DD'.
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    dateStrings: ['DATE'],
    timezone: 'Z',
    charset: 'utf8mb4',
  });
  const promisePool = pool.promise();
  const fail = (error: unknown) => classifySourceError(error, limits.connectTimeoutMs);

  // mysql2 queues a checkout on a full pool for ever: a locked table would hang every request
  // beyond the pool's size. Past the connect timeout (and a margin, so that a new connection's
  // own timeout, an unreachable source, is reported first) the checkout is refused as busy.
  let waiting = 0;
  function acquire(): Promise<mysql.PoolConnection> {
    waiting++;
    return new Promise((resolve, reject) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        waiting--;
        reject(fail(new Error('No connections available within the acquire timeout')));
      }, limits.connectTimeoutMs + 1000);
      pool.getConnection((error, conn) => {
        if (late) {
          conn?.release();
          return;
        }
        waiting--;
        clearTimeout(timer);
        if (error) reject(fail(error));
        else resolve(conn);
      });
    });
  }

  async function withConnection<T>(work: (conn: PromiseConnection) => Promise<T>): Promise<T> {
    const raw = await acquire();
    const conn = (raw as unknown as { promise(): PromiseConnection }).promise();
    try {
      return await work(conn);
    } catch (error) {
      throw fail(error);
    } finally {
      conn.release();
    }
  }

  const describeFrom = (from: Parameters<Connector['describeFrom']>[0]): Promise<DescribedColumn[]> =>
    withConnection((conn) => describeMysqlFrom(conn, from, config.database));

  const describeForReads = memoDescribe(describeFrom);

  async function* stream(select: BuiltSelect, batchSize: number) {
    const conn = await acquire();
    const booleans = select.columns.flatMap((c, i) => (c.type === 'boolean' ? [i] : []));
    let rows: Readable | undefined;
    let broken = false;
    try {
      await conn.promise().query('START TRANSACTION READ ONLY');
      // A prepared statement, streamed: mysql2 pauses the socket while the stream is paused,
      // so the source sends no faster than the consumer pulls.
      rows = conn
        .execute(
          { sql: select.text, rowsAsArray: true, timeout: limits.queryTimeoutMs },
          select.params as never[],
        )
        .stream({ highWaterMark: batchSize });
      let batch: unknown[][] = [];
      for await (const row of rows as AsyncIterable<unknown[]>) {
        for (const i of booleans) row[i] = toBoolean(row[i]);
        batch.push(row);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
      await conn.promise().query('COMMIT');
    } catch (error) {
      broken = true;
      throw fail(error);
    } finally {
      if (rows && !rows.readableEnded) {
        // Abandoned mid-result: the connection still has rows in flight, so it cannot be reused.
        broken = true;
        rows.destroy();
      }
      if (broken) conn.destroy();
      else conn.release();
    }
  }

  return {
    kind: 'mysql',
    dialect: 'mysql',
    pushdown: true,
    test: async () => {
      const started = performance.now();
      const version = await withConnection(async (conn) => {
        const [rows] = await conn.query('SELECT VERSION() AS version');
        return (rows as { version: string }[])[0]?.version ?? null;
      });
      return { ok: true, latencyMs: Math.round(performance.now() - started), serverVersion: version };
    },
    describe: async (options) => ({
      tables: await withConnection((conn) => describeMysql(conn, options?.schema ?? config.database)),
    }),
    describeFrom,
    read: (plan, options) =>
      sqlRead(
        {
          dialect: MYSQL,
          describeFrom: describeForReads,
          relation: (from) => relationSql(MYSQL, from, config.database),
          stream,
        },
        plan,
        options?.batchSize,
      ),
    close: () => promisePool.end(),
    poolFigures: () => {
      // mysql2 keeps its connections in queues it does not publish; read defensively.
      const internal = pool as unknown as {
        _allConnections?: { length: number };
        _freeConnections?: { length: number };
      };
      return {
        total: internal._allConnections?.length ?? 0,
        idle: internal._freeConnections?.length ?? 0,
        waiting,
      };
    },
  };
}
