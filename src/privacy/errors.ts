// privacy/ is pure and may not import src/errors/: its failures carry a stable `code` that the
// HTTP layer maps onto its own error classes.

/** Stable machine-readable codes of the privacy module's failures. */
export type PrivacyErrorCode =
  | 'invalid_utf8'
  | 'invalid_mask_spec'
  | 'missing_hmac_key'
  | 'invalid_argument'
  | 'invalid_bounds'
  | 'budget_exceeded'
  | 'input_too_large';

/** An error raised by privacy/: `code` is stable snake_case, `details` is safe to show a client. */
export class PrivacyError extends Error {
  override readonly name = 'PrivacyError';
  constructor(
    readonly code: PrivacyErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Raised when an ε/δ privacy budget would be overspent. */
export class BudgetExceededError extends PrivacyError {
  constructor(key: string, requested: number, remaining: number) {
    super('budget_exceeded', `privacy budget of ${key} exhausted`, { key, requested, remaining });
  }
}
