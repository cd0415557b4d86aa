import { expect } from 'vitest';

/**
 * Asserts that a query over the wire was refused with the pipeline's `code`: the SQLSTATE the
 * wire maps it to, and the code named at the end of the message. Counted, as `expectRefusal` is,
 * by test/refusals/refusal-coverage.test.ts (the code is the last argument, a literal).
 */
export async function expectWireRefusal(
  answer: Promise<unknown>,
  sqlstate: string,
  code: string,
): Promise<void> {
  const error = await answer.then(
    () => undefined,
    (e: unknown) => e as { code?: string; message?: string },
  );
  expect(error, `expected the refusal ${code}`).toBeDefined();
  expect(error?.code, error?.message).toBe(sqlstate);
  expect(error?.message).toMatch(new RegExp(`\\(${code}\\)$`));
}
