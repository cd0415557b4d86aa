import { AppError, BadRequestError } from '../errors/index.js';

/**
 * The stable error codes of sources/. Every one is a 4xx: a source that is down, refuses the
 * credentials or sends a malformed file is the caller's problem to fix, not a server fault.
 */
export type SourceErrorCode =
  | 'source_unreachable'
  | 'destination_not_allowed'
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

/** Throws nothing itself: builds the 400 with a sources/ code. */
export function sourceError(code: SourceErrorCode, message: string, details?: unknown): AppError {
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
