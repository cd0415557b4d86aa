import type { AppError } from '../../errors/index.js';
import { isAppError, sourceError, unreachable } from '../errors.js';

// SQLSTATE classes and MySQL errnos that mean the credentials were refused.
const AUTH_SQLSTATE = /^28/;
const MYSQL_AUTH = new Set([1044, 1045, 1698, 1251]);
// Certificate failures after a database server agreed to TLS, and a server that said it has none.
const TLS_CODES =
  /^(ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|HANDSHAKE_NO_SSL_SUPPORT$)/;
const PG_NO_TLS = 'The server does not support SSL connections';

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

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  /** pg's DatabaseError: the server answered with an ErrorResponse. */
  severity?: string;
  /** mysql2's server error packet. */
  sqlState?: string;
  reason?: string;
}

/** Whether a database server itself answered with this error (an ErrorResponse or error packet). */
function fromServer(e: DriverError): boolean {
  return (e.severity !== undefined && /^[0-9A-Z]{5}$/.test(e.code ?? '')) || e.sqlState !== undefined;
}

/**
 * Turns a driver's connection or query failure into an error with a stable code. Distinct codes
 * need a database server's own answer (a SQLSTATE, an errno, a TLS handshake it agreed to) or a
 * connection already made: busy (503: every pooled connection in use, or the source refuses more
 * sessions or a lock) and timed out (504: connected, but the statement ran past the query
 * timeout). Everything else — refused by the outbound policy, port closed, DNS failure, connect
 * timeout, something there that does not speak the protocol — is one `source_unreachable` (502)
 * with one message, so that the connection test tells an open port from a closed one no better
 * than a refused address. The driver's own message may quote SQL or hosts: it goes to the server
 * log only.
 */
export function classifySourceError(error: unknown, timeoutMs = 5000): AppError {
  if (isAppError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const code = e.code ?? '';
  if (code === 'EOUTBOUND') return unreachable(`outbound policy: ${e.reason ?? e.message}`);
  const server = fromServer(e);
  const message = e.message ?? '';
  // Our own pool: every connection was made and is in use, so the source is up but busy.
  if (POOL_EXHAUSTED.test(message))
    return sourceError(
      'source_busy',
      `Every connection to the source is in use; none was free within ${timeoutMs} ms`,
      { reason: 'pool_exhausted' },
    );
  if ((server && BUSY_SQLSTATE.has(code)) || (e.errno !== undefined && MYSQL_BUSY.has(e.errno)))
    return sourceError('source_busy', 'The source is busy (too many connections or a lock held)', {
      reason: code || `errno ${e.errno}`,
    });
  if (
    (server && code === '57014') ||
    (e.errno !== undefined && MYSQL_TIMEOUT.has(e.errno)) ||
    code === 'PROTOCOL_SEQUENCE_TIMEOUT'
  )
    return sourceError('source_timeout', 'The source did not answer within the query timeout', {
      reason: 'query_timeout',
    });
  if ((server && AUTH_SQLSTATE.test(code)) || (e.errno !== undefined && MYSQL_AUTH.has(e.errno)))
    return sourceError('source_auth_failed', 'The source refused the user name or password');
  if ((server && code === '3D000') || e.errno === 1049)
    return sourceError('source_database_missing', 'The database does not exist on the source');
  if (TLS_CODES.test(code) || e.message === PG_NO_TLS)
    return sourceError('source_tls_failed', 'The TLS handshake with the source failed', {
      reason: code || null,
    });
  if (!server) return unreachable(`${code || 'error'}: ${(e.message ?? String(error)).slice(0, 300)}`);
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
