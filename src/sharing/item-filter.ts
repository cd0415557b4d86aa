import { z } from 'zod';
import { BadRequestError } from '../errors/index.js';

// The shape of sources/' row filters, but over catalog item names (信息项名称): a grant speaks
// the catalog's language, and query/ maps names to bound columns. Values are always bound
// parameters there, never SQL text, so a filter cannot smuggle SQL.
const item = z.string().trim().min(1).max(100);
const scalar = z.union([z.string().max(10_000), z.number(), z.boolean()]);

/** One row condition over a resource's items; a grant's conditions are ANDed. */
export const ItemFilterSchema = z.discriminatedUnion('op', [
  z.strictObject({ item, op: z.literal('eq'), value: scalar }),
  z.strictObject({ item, op: z.literal('in'), values: z.array(scalar).min(1).max(10_000) }),
  z.strictObject({
    item,
    op: z.literal('range'),
    min: scalar.optional(),
    max: scalar.optional(),
    maxInclusive: z.boolean().default(true),
  }),
  z.strictObject({ item, op: z.literal('like'), pattern: z.string().max(1000) }),
  z.strictObject({ item, op: z.literal('is_null'), value: z.boolean().default(true) }),
]);
/** One row condition of a grant. */
export type ItemFilter = z.infer<typeof ItemFilterSchema>;

/** A grant's row filter: at most 50 ANDed conditions. */
export const RowFilterSchema = z.array(ItemFilterSchema).max(50);

/** Refuses items that the resource does not have (400 `unknown_item`). */
export function checkItemNames(names: readonly string[], known: readonly string[], field: string): void {
  const have = new Set(known);
  const unknown = names.filter((n) => !have.has(n));
  if (unknown.length > 0) {
    throw new BadRequestError('unknown_item', `The resource has no item ${unknown.join(', ')}`, {
      field,
      items: unknown,
    });
  }
}

/** Checks a row filter's items against the resource's items. */
export function checkRowFilter(filters: readonly ItemFilter[], known: readonly string[]): void {
  checkItemNames(
    filters.map((f) => f.item),
    known,
    'rowFilter',
  );
}

/** Parses a stored row filter; one that no longer parses throws, so a grant never widens to every row. */
export function parseStoredFilter(value: unknown): ItemFilter[] {
  return RowFilterSchema.parse(typeof value === 'string' ? JSON.parse(value) : value);
}
