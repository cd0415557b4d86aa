import { type RawBuilder, sql } from 'kysely';
import { regionFullName } from '../identity/index.js';
import type { Facet } from './search-query.js';
import { LABELS } from './vocab.js';

/** One value of a facet and how many matching resources have it. */
export interface FacetBucket {
  value: string;
  label: string;
  count: number;
}

// Each facet's column; all but tags are counted in one scan with GROUPING SETS.
const COLUMNS: Record<Exclude<Facet, 'tag'>, string> = {
  provider: 'provider_id',
  classification: 'classification_code',
  sharingType: 'sharing_type',
  openType: 'open_type',
  grade: 'grade',
  format: 'format',
  updateCycle: 'update_cycle',
  region: 'provider_region',
  level: 'provider_level',
  node: 'node_id',
};

function label(facet: Facet, value: string, name: string): string {
  switch (facet) {
    case 'provider':
    case 'classification':
      return name;
    case 'sharingType':
    case 'openType':
    case 'grade':
    case 'updateCycle':
    case 'level':
      return (LABELS[facet] as Record<string, string>)[value] ?? value;
    case 'region':
      return regionFullName(value) ?? value;
    default:
      return value;
  }
}

/** One row of the grouping-sets count, as the search statement returns it. */
export interface FacetCountRow {
  facet: Facet;
  value: string | null;
  provider_name: string | null;
  classification_name: string | null;
  count: number;
}

/**
 * The counts per value of each facet asked for (but tags) over the CTE `matches`, in one scan
 * with GROUPING SETS, as a JSON array; null when none is asked for.
 */
export function facetCountsSql(wanted: readonly Facet[]): RawBuilder<FacetCountRow[] | null> {
  const grouped = wanted.filter((f): f is Exclude<Facet, 'tag'> => f !== 'tag');
  if (!grouped.length) return sql`null::json`;
  const column = (f: Exclude<Facet, 'tag'>) => sql.ref(`m.${COLUMNS[f]}`);
  const which = sql.join(
    grouped.map((f) => sql`when grouping(${column(f)}) = 0 then ${f}`),
    sql` `,
  );
  const value = sql.join(grouped.map((f) => sql`${column(f)}::text`));
  // Only the provider's and classification's names are needed as labels: max() carries the
  // provider's; the classification's is looked up once per counted code, not once per match.
  return sql`(select coalesce(json_agg(f), '[]'::json) from (
      select g.facet, g.value, g.provider_name, c.name as classification_name, g.count from (
        select case ${which} end as facet, coalesce(${value}) as value,
          max(m.provider_name) as provider_name, count(*)::int as count
        from matches m
        group by grouping sets (${sql.join(grouped.map((f) => sql`(${column(f)})`))})) g
      left join classifications c on g.facet = 'classification' and c.code = g.value) f)`;
}

/** The most frequent tags over the CTE `matches`, as a JSON array; null when not asked for. */
export function tagCountsSql(
  wanted: readonly Facet[],
  limit: number,
): RawBuilder<Array<{ tag: string; count: number }> | null> {
  if (!wanted.includes('tag')) return sql`null::json`;
  return sql`(select coalesce(json_agg(t order by t.count desc, t.tag), '[]'::json) from (
      select tag, count(*)::int as count from matches m, unnest(m.tags) as tag
      group by tag order by count desc, tag limit ${limit}) t)`;
}

/** The facet buckets of a search from its counts: each facet's values by count, then value. */
export function facetBuckets(
  wanted: readonly Facet[],
  counts: FacetCountRow[] | null,
  tags: Array<{ tag: string; count: number }> | null,
  limit: number,
): Partial<Record<Facet, FacetBucket[]>> {
  const result: Partial<Record<Facet, FacetBucket[]>> = {};
  for (const facet of wanted) {
    if (facet === 'tag') {
      result.tag = (tags ?? []).map((r) => ({ value: r.tag, label: r.tag, count: Number(r.count) }));
      continue;
    }
    result[facet] = (counts ?? [])
      .filter((r): r is FacetCountRow & { value: string } => r.facet === facet && r.value !== null)
      .map((r) => ({
        value: r.value,
        label: label(facet, r.value, (facet === 'provider' ? r.provider_name : r.classification_name) ?? ''),
        count: Number(r.count),
      }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, limit);
  }
  return result;
}
