import { ServiceUnavailableError } from '../errors/index.js';

/** 503 `audit_unavailable`: the log could not be written, so the action it records must not happen. */
export class AuditUnavailableError extends ServiceUnavailableError {
  constructor(cause?: unknown) {
    super('audit_unavailable', 'The audit log cannot be written; the request was refused');
    // Kept for the server's own log; never shown to a client.
    this.cause = cause;
  }
}
