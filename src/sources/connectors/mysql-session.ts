import mysql from 'mysql2';
import { checkedSocket, type OutboundPolicy } from '../../net/index.js';
import type { DatabaseConfig } from '../source-config.js';
import { classifySourceError } from './classify-error.js';
import type { SqlLimits } from './postgres.js';
import { tlsOptions } from './tls.js';

/** One MySQL/MariaDB connection for change capture's administration (variables, grants, keys). */
export interface MysqlSession {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  end(): Promise<void>;
}

/**
 * A single connection through the outbound policy (as the connector's pool), with the pool's
 * value settings; errors are classified like reads'. Reads never use it.
 */
export async function openMysqlSession(
  config: DatabaseConfig,
  password: string | undefined,
  limits: SqlLimits,
  outbound: OutboundPolicy,
): Promise<MysqlSession> {
  const ssl = tlsOptions(config.tls, config.host);
  const conn = mysql.createConnection({
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
    connectTimeout: limits.connectTimeoutMs,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    dateStrings: ['DATE'],
    timezone: 'Z',
    charset: 'utf8mb4',
  });
  // A connection that fails after the work is done must not crash the process.
  conn.on('error', () => undefined);
  const promise = conn.promise();
  const fail = (error: unknown) => classifySourceError(error, limits.connectTimeoutMs);
  try {
    await promise.connect();
  } catch (error) {
    conn.destroy();
    throw fail(error);
  }
  return {
    query: async <R>(text: string, params: unknown[] = []) => {
      try {
        const [rows] = await promise.query({ sql: text, timeout: limits.queryTimeoutMs }, params);
        return rows as R[];
      } catch (error) {
        throw fail(error);
      }
    },
    end: async () => {
      await promise.end().catch(() => conn.destroy());
    },
  };
}
