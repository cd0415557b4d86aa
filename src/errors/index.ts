import type { ErrorCode } from './codes.js';

export { ERROR_CODES, type ErrorCode } from './codes.js';
export { isPipelineRefusal, PIPELINE_REFUSALS, type PipelineRefusal } from './pipeline-refusals.js';

/**
 * The one errors module. Every error a client can see has an HTTP status and a stable
 * snake_case `code`; the HTTP layer turns each into `{"error": {code, message, details}}`.
 */
export class AppError extends Error {
  /**
   * What the server log (never the client) records about this error: the real reason behind a
   * deliberately uniform answer, such as why a source cannot be reached.
   */
  logDetails?: Record<string, unknown>;

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed or names something invalid. */
export class BadRequestError extends AppError {
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(400, code, message, details);
  }
}

/** 401: no or invalid credentials. */
export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required', code: ErrorCode = 'unauthenticated') {
    super(401, code, message);
  }
}

/** 403: the caller is known but may not do this. */
export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this', code: ErrorCode = 'forbidden') {
    super(403, code, message);
  }
}

/** 404: absent, or present but invisible to the caller (the two are indistinguishable). */
export class NotFoundError extends AppError {
  constructor(what = 'Resource', code: ErrorCode = 'not_found') {
    super(404, code, `${what} not found`);
  }
}

/** 409: the request conflicts with the current state (duplicates, lifecycle). */
export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

/** 429: a rate limit or quota is exhausted. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    code: ErrorCode = 'rate_limited',
    details?: unknown,
  ) {
    super(429, code, message, details);
  }
}

/** 503: a dependency needed to serve the request safely is unavailable. */
export class ServiceUnavailableError extends AppError {
  constructor(
    code: ErrorCode,
    message: string,
    /** Sent as Retry-After, so that load balancers and clients back off rather than hammer. */
    readonly retryAfterSeconds?: number,
  ) {
    super(503, code, message);
  }
}

/**
 * 502/503/504: a system behind the platform (a provider's source) failed, is busy or timed out.
 * A 5xx, not a 4xx: load balancers, retries and alerts on 5xx must see an outage.
 */
export class UpstreamError extends AppError {
  constructor(
    status: 502 | 503 | 504,
    code: ErrorCode,
    message: string,
    details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(status, code, message, details);
  }
}

/** The JSON body every error response carries. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** Renders an AppError as the one error shape. */
export function errorBody(error: AppError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

/** PostgreSQL unique_violation (23505), as raised by pg and PGlite alike. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** One field's problem in a 400's details: where, and what (in English). */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * A field problem that carries its zod issue (code and parameters) invisibly: JSON leaves it
 * out, and the HTTP layer reads it to word the message in the caller's language.
 */
export function issueProblem(
  path: string,
  issue: { readonly code: string; readonly message: string },
): FieldProblem {
  const problem = { path, message: issue.message };
  Object.defineProperty(problem, 'issue', { value: issue, enumerable: false });
  return problem;
}
