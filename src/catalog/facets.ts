import { type Kysely, sql } from 'kysely';
import { type Actor, regionFullName } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { FACETS, type Facet, type ParsedSearchQuery, searchFilter } from './search-query.js';
import { visibleResourceFilter } from './visibility.js';
import { LABELS } from './vocab.js';

type Db = Kysely<Database>;

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

/** Counts of the resources that match `query` (and that the actor may see), per value of each facet asked for. */
export async function countFacets(
  db: Db,
  actor: Actor,
  query: ParsedSearchQuery,
): Promise<Partial<Record<Facet, FacetBucket[]>>> {
  const wanted = query.facets ?? [...FACETS];
  const result: Partial<Record<Facet, FacetBucket[]>> = {};
  const base = db
    .selectFrom('resources')
    .innerJoin('classifications', 'classifications.code', 'resources.classification_code')
    .where(visibleResourceFilter(actor))
    .where(searchFilter(query));
  const grouped = wanted.filter((f): f is Exclude<Facet, 'tag'> => f !== 'tag');
  if (grouped.length) {
    const column = (f: Exclude<Facet, 'tag'>) => sql.ref(`resources.${COLUMNS[f]}`);
    const which = sql.join(
      grouped.map((f) => sql`when grouping(${column(f)}) = 0 then ${f}`),
      sql` `,
    );
    const value = sql.join(grouped.map((f) => sql`${column(f)}::text`));
    const rows = await base
      .select([
        sql<string>`case ${which} end`.as('facet'),
        sql<string>`coalesce(${value})`.as('value'),
        // Only the provider's and classification's names are needed as labels; max() carries them.
        sql<string>`max(resources.provider_name)`.as('provider_name'),
        sql<string>`max(classifications.name)`.as('classification_name'),
        sql<number>`count(*)::int`.as('count'),
      ])
      .groupBy(sql`grouping sets (${sql.join(grouped.map((f) => sql`(${column(f)})`))})` as never)
      .execute();
    for (const facet of grouped) {
      result[facet] = rows
        .filter((r) => r.facet === facet && r.value !== null)
        .map((r) => ({
          value: r.value,
          label: label(facet, r.value, facet === 'provider' ? r.provider_name : r.classification_name),
          count: Number(r.count),
        }))
        .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
        .slice(0, query.facetLimit);
    }
  }
  if (wanted.includes('tag')) {
    const rows = await base
      .select([sql<string>`unnest(resources.tags)`.as('tag'), sql<number>`count(*)::int`.as('count')])
      .groupBy('tag' as never)
      .orderBy('count', 'desc')
      .orderBy('tag' as never)
      .limit(query.facetLimit)
      .execute();
    result.tag = rows.map((r) => ({ value: r.tag, label: r.tag, count: Number(r.count) }));
  }
  return result;
}
