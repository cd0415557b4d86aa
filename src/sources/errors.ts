import { AppError, BadRequestError, UpstreamError } from '../errors/index.js';

/**
 * The stable error codes of sources/. An outage of the source is a 5xx (see OUTAGES); the rest
 * are 4xx: credentials it refuses or a malformed file are the steward's or caller's to fix.
 */
export type SourceErrorCode =
  | 'source_unreachable'
  | 'destination_not_allowed'
  | 'source_timeout'
  | 'source_busy'
  | 'source_auth_failed'
  | 'source_database_missing'
  | 'source_tls_failed'
  | 'source_query_failed'
  | 'source_schema_changed'
  | 'source_response_invalid'
  | 'unknown_column'
  | 'unknown_table'
  | 'pushdown_unsupported'
  | 'invalid_encoding'
  | 'malformed_file'
  | 'unsupported_format'
  | 'type_cast_failed'
  | 'file_too_large'
  | 'invalid_read_plan';

/**
 * The source outages, as a gateway answers them: 502 when it cannot be reached (refused, no
 * route, DNS, no connection within the connect timeout), 504 when it took the connection but
 * did not answer within the query timeout, 503 when it is up but every connection of its pool
 * is in use (or it refuses more). Retry-After (seconds) where a retry soon may succeed.
 */
const OUTAGES: Partial<Record<SourceErrorCode, [502 | 503 | 504, number | undefined]>> = {
  source_unreachable: [502, 30],
  source_timeout: [504, undefined],
  source_busy: [503, 5],
};

/** Throws nothing itself: builds the error with a sources/ code (a 5xx for an outage, else a 400). */
export function sourceError(code: SourceErrorCode, message: string, details?: unknown): AppError {
  const outage = OUTAGES[code];
  if (outage) return new UpstreamError(outage[0], code, message, details, outage[1]);
  return new BadRequestError(code, message, details);
}

/**
 * The one answer for every destination that cannot be reached — refused by the outbound policy,
 * port closed, DNS failure, timeout, or something there that does not speak the protocol — so
 * that the connection test cannot tell them apart (it is no port scanner). The real reason goes
 * to the server log only.
 */
export function unreachable(reason: string): AppError {
  const error = sourceError('source_unreachable', 'The source cannot be reached');
  error.logDetails = { reason };
  return error;
}

/** 413 for an upload over HUITONG_UPLOAD_LIMIT. */
export function tooLarge(limit: number): AppError {
  return new AppError(413, 'file_too_large', `The file is larger than the limit of ${limit} bytes`);
}

/** Whether an error is one sources/ raised on purpose (as opposed to a bug). */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
