import type { Kysely } from 'kysely';
import { cachedRead, type Database } from '../store/index.js';

/**
 * Which rows of a delivered page are under an objection not yet confirmed (异议中): their indexes
 * in the page. The rows are matched by the values as delivered (after masks and row filters), so
 * the marker says nothing of a row the reader does not receive. The objections are governance's;
 * query/ reads their row keys from the store (governance imports query/, not the reverse).
 */
export async function disputedRows(
  db: Kysely<Database>,
  resourceId: string,
  columns: string[],
  rows: unknown[][],
): Promise<number[]> {
  if (rows.length === 0) return [];
  // A marker, not an enforcement: reused for under a second, as the resource's metadata is.
  const keys = await cachedRead(db, `disputed:${resourceId}`, () =>
    db
      .selectFrom('objection_rows as r')
      .innerJoin('objections as o', 'o.id', 'r.objection_id')
      .select(['r.key_column', 'r.key_value'])
      .where('r.resource_id', '=', resourceId)
      .where('o.status', '<>', 'confirmed')
      .execute(),
  );
  if (keys.length === 0) return [];
  const wanted = new Map<number, Set<string>>();
  for (const k of keys) {
    const index = columns.indexOf(k.key_column);
    if (index < 0) continue;
    const set = wanted.get(index) ?? new Set<string>();
    set.add(k.key_value);
    wanted.set(index, set);
  }
  const marked: number[] = [];
  rows.forEach((row, i) => {
    for (const [index, set] of wanted)
      if (row[index] !== null && row[index] !== undefined && set.has(String(row[index]))) {
        marked.push(i);
        return;
      }
  });
  return marked;
}
