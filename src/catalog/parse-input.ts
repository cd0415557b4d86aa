import type { z } from 'zod';
import { BadRequestError, issueProblem } from '../errors/index.js';

/**
 * Parses input that did not come through a route's schema (CLI, import sheets, Data Packages):
 * a mismatch is the same 400 `invalid_request`, with the path of each bad field, that the
 * HTTP layer gives for a bad body.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) =>
    issueProblem([prefix, ...issue.path.map(String)].filter(Boolean).join('.'), issue),
  );
  throw new BadRequestError(
    'invalid_request',
    `Invalid ${details.map((d) => d.path || 'input').join(', ')}: ${details[0]?.message ?? ''}`,
    details,
  );
}
