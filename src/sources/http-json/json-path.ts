/**
 * The value at a dotted path (`data.items`, `$.data.items`, `results[0].rows`); the whole value
 * for an empty path or `$`; undefined when any step is missing.
 */
export function valueAtPath(value: unknown, path: string): unknown {
  const steps = path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter(Boolean)
    .flatMap((step) => {
      const match = /^([^[\]]*)((\[\d+\])*)$/.exec(step);
      if (!match) return [step];
      const indexes = [...(match[2] ?? '').matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
      return [...(match[1] ? [match[1]] : []), ...indexes];
    });
  let current = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}
