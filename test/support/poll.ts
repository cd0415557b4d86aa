/**
 * Polls `check` every `everyMs` until it returns a value other than undefined/false, and returns
 * it; past `timeoutMs` it throws, naming `what` and the last value or error seen. For tests that
 * wait on another process: a deadline, never a fixed sleep.
 */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 15_000, everyMs = 100 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`${what}: not within ${timeoutMs} ms (last: ${seen})`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
