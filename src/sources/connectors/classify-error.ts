import type { AppError } from '../../errors/index.js';
import { isAppError, sourceError, unreachable } from '../errors.js';

// SQLSTATE classes and MySQL errnos that mean the credentials were refused.
const AUTH_SQLSTATE = /^28/;
const MYSQL_AUTH = new Set([1044, 1045, 1698, 1251]);
// Certificate failures after a database server agreed to TLS, and a server that said it has none.
const TLS_CODES =
  /^(ERR_TLS_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_|HANDSHAKE_NO_SSL_SUPPORT$)/;
const PG_NO_TLS = 'The server does not support SSL connections';

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
 * Turns a driver's connection or query failure into a 4xx with a stable code. Distinct codes
 * need a database server's own answer (a SQLSTATE, an errno, a TLS handshake it agreed to);
 * everything else — refused by the outbound policy, port closed, DNS failure, timeout, something
 * there that does not speak the protocol — is one `source_unreachable` with one message, so that
 * the connection test tells an open port from a closed one no better than a refused address.
 * The driver's own message may quote SQL or hosts: it goes to the server log only.
 */
export function classifySourceError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const code = e.code ?? '';
  if (code === 'EOUTBOUND') return unreachable(`outbound policy: ${e.reason ?? e.message}`);
  const server = fromServer(e);
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
  if (code === '57014' || e.errno === 3024 || e.errno === 1969)
    return sourceError('source_query_failed', 'The source did not finish the read within the query timeout', {
      sqlstate: code || null,
      errno: e.errno ?? null,
    });
  return sourceError('source_query_failed', 'The source could not run the read', {
    sqlstate: /^[0-9A-Z]{5}$/.test(code) ? code : null,
    errno: e.errno ?? null,
  });
}
