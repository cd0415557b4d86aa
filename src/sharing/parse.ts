import type { z } from 'zod';
import { BadRequestError, issueProblem } from '../errors/index.js';

/** Parses a domain input with its schema; a mismatch is a 400 `invalid_request` naming each path. */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => issueProblem(i.path.join('.'), i));
  throw new BadRequestError('invalid_request', 'The request does not match the schema', details);
}
