// A staging database's failures as ChannelErrors: whether a later attempt may succeed decides
// between a retry and the dead letters. The driver's own message may quote SQL or values, so
// the consumer-facing message names the class of failure only.
import { ChannelError } from '../types.js';

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  severity?: string;
  sqlState?: string;
}

const MYSQL_AUTH = new Set([1044, 1045, 1698, 1251]);
// Values the table refuses (too long, not a number, not a date, a NUL in text …): the same
// batch would fail again, so it goes to the dead letters.
const PG_DATA = /^(22|23)/;
const MYSQL_DATA = new Set([1264, 1265, 1292, 1366, 1406, 1048, 3140, 1062, 4025]);

/** Turns any failure of a delivery into a ChannelError (one already so is returned as is). */
export function stagingError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const code = e.code ?? '';
  const server = (e.severity !== undefined && /^[0-9A-Z]{5}$/.test(code)) || e.sqlState !== undefined;
  if (code === 'EOUTBOUND')
    return new ChannelError(
      'staging_destination_not_allowed',
      'The staging database’s address is not allowed by the outbound policy',
      false,
    );
  // The consumer may fix the password or the grant: retried until it works or the retries end.
  if ((server && /^28/.test(code)) || (e.errno !== undefined && MYSQL_AUTH.has(e.errno)))
    return new ChannelError(
      'staging_auth_failed',
      'The staging database refused the user name or password',
      true,
    );
  if ((server && code === '3D000') || e.errno === 1049)
    return new ChannelError('staging_database_missing', 'The staging database does not exist', true);
  if (server && code === '3F000')
    return new ChannelError(
      'staging_schema_missing',
      'The schema does not exist in the staging database',
      true,
    );
  if ((server && code === '42501') || e.errno === 1142 || e.errno === 1044)
    return new ChannelError(
      'staging_permission_denied',
      'The staging database’s user may not create or write the table',
      true,
    );
  if ((server && PG_DATA.test(code)) || (e.errno !== undefined && MYSQL_DATA.has(e.errno)))
    return new ChannelError(
      'staging_value_rejected',
      'The staging table refused a value of the batch',
      false,
    );
  // The connection ended under the batch (server shutting down, session killed): nothing of the
  // batch was committed, so a later attempt applies all of it.
  if (!server || /^(08|57P0)/.test(code))
    return new ChannelError(
      'staging_unreachable',
      `The staging database could not be reached (${code || 'connection failed'})`,
      true,
    );
  return new ChannelError(
    'staging_write_failed',
    `The staging database could not apply the batch (${code || `errno ${e.errno}`})`,
    true,
  );
}
