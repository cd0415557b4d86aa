import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { isPipelineRefusal, PIPELINE_REFUSALS } from '../../src/errors/index.js';

/**
 * Asserts that an HTTP answer is the refusal `code`, in the one error shape and with a status the
 * registry allows for it. test/refusals/refusal-coverage.test.ts counts the codes passed here as
 * literals: every code of src/errors/pipeline-refusals.ts needs at least one such assertion.
 */
export function expectRefusal(response: LightMyRequestResponse, code: string): void {
  const seen = `${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.headers['content-type'], seen).toMatch(/^application\/json/);
  const body = response.json() as { error?: { code?: string; message?: string } };
  expect(body.error?.code, seen).toBe(code);
  expect(typeof body.error?.message, seen).toBe('string');
  if (isPipelineRefusal(code))
    expect(PIPELINE_REFUSALS[code] as readonly number[], seen).toContain(response.statusCode);
  else expect(response.statusCode, seen).toBeGreaterThanOrEqual(400);
}
