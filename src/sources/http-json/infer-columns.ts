import type { ColumnType, DescribedColumn } from '../types.js';

function typeOf(value: unknown): ColumnType | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') return 'string';
  return 'json';
}

// When samples disagree: integers widen to numbers, anything else mixed becomes text.
function widen(a: ColumnType | null, b: ColumnType | null): ColumnType | null {
  if (a === null) return b;
  if (b === null || a === b) return a;
  if ((a === 'integer' && b === 'number') || (a === 'number' && b === 'integer')) return 'number';
  return 'string';
}

/** Columns inferred from sample records: every key seen, in first-seen order, with a JSON type. */
export function inferColumns(records: Record<string, unknown>[]): DescribedColumn[] {
  const types = new Map<string, ColumnType | null>();
  const nullable = new Set<string>();
  for (const record of records) {
    for (const key of types.keys()) if (!(key in record)) nullable.add(key);
    for (const [key, value] of Object.entries(record)) {
      if (!types.has(key) && types.size > 0 && record !== records[0]) nullable.add(key);
      if (value === null) nullable.add(key);
      types.set(key, widen(types.get(key) ?? null, typeOf(value)));
    }
  }
  return [...types].map(([name, type]) => ({
    name,
    type: type ?? 'string',
    nativeType: `json ${type === null ? 'null' : type === 'integer' || type === 'number' ? 'number' : type === 'json' ? 'object' : type}`,
    nullable: nullable.has(name),
  }));
}
