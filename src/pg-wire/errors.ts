import { AppError } from '../errors/index.js';

/** An error as the wire sends it: SQLSTATE and a message that never quotes source SQL or paths. */
export interface WireError {
  code: string;
  message: string;
  severity?: 'ERROR' | 'FATAL';
}

// The pipeline's error codes that have a SQLSTATE of their own.
const BY_CODE: Record<string, string> = {
  resource_not_found: '42P01',
  qualified_name_forbidden: '42P01',
  no_resource: '42P01',
  sql_syntax_error: '42601',
  function_forbidden: '42501',
  sql_too_long: '54000',
  held_for_review: '0A000',
  query_timeout: '57014',
  query_memory_exceeded: '53200',
  invalid_credentials: '28P01',
  password_change_required: '28000',
  login_locked: '28000',
  api_key_revoked: '28000',
  api_key_expired: '28000',
  invalid_api_key: '28P01',
};

// Otherwise by HTTP status.
const BY_STATUS: Record<number, string> = {
  400: '42000',
  401: '28000',
  403: '42501',
  404: '42P01',
  409: '55000',
  413: '54000',
  429: '53400',
  503: '57P03',
  504: '57014',
};

/** The SQLSTATE and message of an error; anything not an AppError is an internal error, said no more. */
export function wireError(error: unknown): WireError {
  if (error instanceof AppError) {
    const code = BY_CODE[error.code] ?? BY_STATUS[error.status] ?? 'XX000';
    return { code, message: `${error.message} (${error.code})` };
  }
  return { code: 'XX000', message: 'internal error' };
}

/** A refusal of the wire itself (what it does not do). */
export const refused = (code: string, message: string): WireError => ({ code, message });
