import type { AppError } from '../../errors/index.js';
import { isAppError, sourceError } from '../errors.js';

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
]);

// SQLSTATE classes and MySQL errnos that mean the credentials were refused.
const AUTH_SQLSTATE = /^28/;
const MYSQL_AUTH = new Set([1044, 1045, 1698, 1251]);

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
}

// The pool of the source's connections is full and none was freed within the connect timeout
// (pg-pool's queue timeout; mysql2's queue limit; our acquire timeout, see acquire-timeout.ts).
const POOL_EXHAUSTED =
  /timeout exceeded when trying to connect|Queue limit reached|No connections available/i;
// The source itself refuses more sessions or a lock: up, but busy.
const BUSY_SQLSTATE = new Set(['53300', '55P03', '57P03']);
const MYSQL_BUSY = new Set([1040, 1203, 1205, 1226]);
// A statement that ran past its time: PostgreSQL's statement_timeout (57014), MySQL's
// max_execution_time (3024), MariaDB's max_statement_time (1969), mysql2's own timeout.
const MYSQL_TIMEOUT = new Set([3024, 1969]);

/**
 * Turns a driver's connection or query failure into an error with a stable code, telling apart
 * the three outages: unreachable (502: refused, no route, DNS, no connection within the connect
 * timeout), timeout (504: connected, but the statement ran past the query timeout) and busy (503:
 * every pooled connection in use, or the source refuses more). The driver's own message may
 * quote SQL or hosts, so only the code and a SQLSTATE travel in `details`.
 */
export function classifySourceError(error: unknown, timeoutMs: number): AppError {
  if (isAppError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const message = e.message ?? '';
  const code = e.code ?? '';
  if (POOL_EXHAUSTED.test(message))
    return sourceError(
      'source_busy',
      `Every connection to the source is in use; none was free within ${timeoutMs} ms`,
      {
        reason: 'pool_exhausted',
      },
    );
  if (BUSY_SQLSTATE.has(code) || (e.errno !== undefined && MYSQL_BUSY.has(e.errno)))
    return sourceError('source_busy', 'The source is busy (too many connections or a lock held)', {
      reason: code || `errno ${e.errno}`,
    });
  if (
    code === '57014' ||
    (e.errno !== undefined && MYSQL_TIMEOUT.has(e.errno)) ||
    code === 'PROTOCOL_SEQUENCE_TIMEOUT'
  )
    return sourceError('source_timeout', 'The source did not answer within the query timeout', {
      reason: 'query_timeout',
    });
  if (NETWORK.has(code) || /timeout|timed out|terminated unexpectedly/i.test(message))
    return sourceError(
      'source_unreachable',
      /timeout|timed out|ETIMEDOUT/i.test(message + code)
        ? `The source did not accept a connection within ${timeoutMs} ms`
        : 'The source cannot be reached',
      { reason: code || 'connect_timeout' },
    );
  if (AUTH_SQLSTATE.test(code) || (e.errno !== undefined && MYSQL_AUTH.has(e.errno)))
    return sourceError('source_auth_failed', 'The source refused the user name or password');
  if (code === '3D000' || e.errno === 1049)
    return sourceError('source_database_missing', 'The database does not exist on the source');
  if (/ssl|tls|certificate|self[- ]signed/i.test(message) || /^ERR_TLS|CERT/.test(code))
    return sourceError('source_tls_failed', 'The TLS handshake with the source failed', {
      reason: code || null,
    });
  if (code === '42703' || code === '42P01' || e.errno === 1054 || e.errno === 1146)
    return sourceError(
      'source_schema_changed',
      'A table or column the read names is gone at the source; describe the source again',
      { sqlstate: code || null },
    );
  return sourceError('source_query_failed', 'The source could not run the read', {
    sqlstate: /^[0-9A-Z]{5}$/.test(code) ? code : null,
    errno: e.errno ?? null,
  });
}
