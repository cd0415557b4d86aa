/**
 * The one errors module. Every error a client can see has an HTTP status and a stable
 * snake_case `code`; the HTTP layer turns each into `{"error": {code, message, details}}`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 400: the request is malformed or names something invalid. */
export class BadRequestError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(400, code, message, details);
  }
}

/** 401: no or invalid credentials. */
export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required', code = 'unauthenticated') {
    super(401, code, message);
  }
}

/** 403: the caller is known but may not do this. */
export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this', code = 'forbidden') {
    super(403, code, message);
  }
}

/** 404: absent, or present but invisible to the caller (the two are indistinguishable). */
export class NotFoundError extends AppError {
  constructor(what = 'Resource', code = 'not_found') {
    super(404, code, `${what} not found`);
  }
}

/** 409: the request conflicts with the current state (duplicates, lifecycle). */
export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(409, code, message, details);
  }
}

/** 429: a rate limit or quota is exhausted. */
export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    code = 'rate_limited',
  ) {
    super(429, code, message);
  }
}

/** 503: a dependency needed to serve the request safely is unavailable. */
export class ServiceUnavailableError extends AppError {
  constructor(code: string, message: string) {
    super(503, code, message);
  }
}

/** The JSON body every error response carries. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
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

export { isPipelineRefusal, PIPELINE_REFUSALS, type PipelineRefusal } from './codes.js';
