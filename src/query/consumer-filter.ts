import { z } from 'zod';

const column = z.string().min(1).max(128);
const scalar = z.union([z.string().max(10_000), z.number(), z.boolean()]);

/** A consumer's row condition over the columns it sees (the same shapes as a grant's). */
export const ConsumerFilterSchema = z.discriminatedUnion('op', [
  z.strictObject({ column, op: z.literal('eq'), value: scalar }),
  z.strictObject({ column, op: z.literal('in'), values: z.array(scalar).min(1).max(1000) }),
  z.strictObject({
    column,
    op: z.literal('range'),
    min: scalar.optional(),
    max: scalar.optional(),
    maxInclusive: z.boolean().default(true),
  }),
  z.strictObject({ column, op: z.literal('like'), pattern: z.string().max(1000) }),
  z.strictObject({ column, op: z.literal('is_null'), value: z.boolean().default(true) }),
]);
export type ConsumerFilter = z.infer<typeof ConsumerFilterSchema>;

function likeToRegExp(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '[\\s\\S]*';
    else if (ch === '_') source += '[\\s\\S]';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

const compare = (a: unknown, b: unknown) => {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
};

/**
 * A filter evaluated on delivered (masked) values, for conditions on masked columns: the
 * condition sees what the consumer sees, so a predicate cannot probe the clear value.
 */
export function rowPredicate(filter: ConsumerFilter, index: number): (row: unknown[]) => boolean {
  switch (filter.op) {
    case 'eq':
      return (row) => row[index] !== null && String(row[index]) === String(filter.value);
    case 'in': {
      const set = new Set(filter.values.map(String));
      return (row) => row[index] !== null && set.has(String(row[index]));
    }
    case 'range':
      return (row) => {
        const v = row[index];
        if (v === null || v === undefined) return false;
        if (filter.min !== undefined && compare(v, filter.min) < 0) return false;
        if (filter.max !== undefined) {
          const c = compare(v, filter.max);
          if (c > 0 || (c === 0 && !filter.maxInclusive)) return false;
        }
        return true;
      };
    case 'like': {
      const re = likeToRegExp(filter.pattern);
      return (row) => row[index] !== null && re.test(String(row[index]));
    }
    case 'is_null':
      return (row) => (row[index] === null || row[index] === undefined) === filter.value;
  }
}
