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

/**
 * Turns a driver's connection or query failure into a 4xx with a stable code. The driver's own
 * message may quote SQL or hosts, so only the code and a SQLSTATE travel in `details`.
 */
export function classifySourceError(error: unknown, timeoutMs: number): AppError {
  if (isAppError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const message = e.message ?? '';
  const code = e.code ?? '';
  if (NETWORK.has(code) || /timeout|timed out|terminated unexpectedly/i.test(message))
    return sourceError(
      'source_unreachable',
      /timeout|timed out|ETIMEDOUT/i.test(message + code)
        ? `The source did not answer within ${timeoutMs} ms`
        : 'The source cannot be reached',
      { reason: code || 'timeout' },
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
  if (code === '57014' || e.errno === 3024 || e.errno === 1969)
    return sourceError('source_unreachable', `The source did not answer within the query timeout`, {
      reason: 'query_timeout',
    });
  return sourceError('source_query_failed', 'The source could not run the read', {
    sqlstate: /^[0-9A-Z]{5}$/.test(code) ? code : null,
    errno: e.errno ?? null,
  });
}
