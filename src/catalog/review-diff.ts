import type { StoredItem } from '../store/index.js';
import type { DiffEntry } from './review-schemas.js';
import type { ResourceFields } from './schemas.js';

// The fields a reviewer compares, in the order of the entry (the provider never changes).
const FIELDS = [
  'name',
  'classificationCode',
  'summary',
  'format',
  'items',
  'sharingType',
  'sharingConditions',
  'sharingMethods',
  'legalBasis',
  'openType',
  'openConditions',
  'updateCycle',
  'relatedCodes',
  'grade',
  'gradeLevel',
  'tags',
  'keywords',
  'contact',
  'licence',
] as const;

type Entry = Record<(typeof FIELDS)[number], unknown>;

/** The entry as the catalog writes it (lifecycle.applyUpdate's rules), so that both sides compare alike. */
export function writtenEntry(fields: ResourceFields, items: StoredItem[]): Entry {
  return {
    ...Object.fromEntries(FIELDS.map((f) => [f, fields[f] ?? null])),
    items: items.map((i) => ({ ...i, bounds: i.bounds ?? null })),
    sharingMethods: fields.sharingType === 'not_shared' ? [] : fields.sharingMethods,
    gradeLevel: fields.grade === 'general' ? (fields.gradeLevel ?? null) : null,
  } as Entry;
}

// JSON with object keys sorted: a stored contact and a proposed one compare by content, not key order.
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/**
 * The fields that differ between the published entry and the proposed one; for a first
 * publication (`before` null) every field, each with `before: null`.
 */
export function diffEntries(before: Entry | null, after: Entry): DiffEntry[] {
  return FIELDS.filter((f) => before === null || canonical(before[f]) !== canonical(after[f])).map((f) => ({
    field: f,
    before: before === null ? null : before[f],
    after: after[f],
  }));
}
