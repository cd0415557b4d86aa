import { createHash } from 'node:crypto';
import { type RawBuilder, type SqlBool, sql } from 'kysely';

// The facets the search index answers, and the tag of their terms as resource_search_terms
// (migration 0028) spells them. Classification and region are matched by prefix: the index holds
// a term for every prefix length, so a filter's value is one term.
const TERMS = {
  provider: 'p',
  classification: 'c',
  sharingType: 's',
  openType: 'o',
  grade: 'g',
  format: 'f',
  updateCycle: 'u',
  region: 'r',
  level: 'l',
} as const;

/** The expression of resources_search_idx, written exactly as the index has it. */
const SEARCH_INDEX = sql`(resources.search_doc || resource_search_terms(resources.status,
  resources.provider_id, resources.classification_code, resources.sharing_type, resources.open_type,
  resources.grade, resources.format, resources.update_cycle, resources.provider_region::text,
  resources.provider_level))`;

/** What of a search the index looks up (a parsed SearchQuery). */
type IndexedFilters = { status: string } & Partial<Record<keyof typeof TERMS, string | string[]>>;

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** A facet value as the index's term: uuids in their canonical lower case, the format as its md5. */
function term(facet: keyof typeof TERMS, value: string): string {
  const v =
    facet === 'provider'
      ? value.toLowerCase()
      : facet === 'format'
        ? createHash('md5').update(value, 'utf8').digest('hex')
        : value;
  return `'${`${TERMS[facet]}:${v}`.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/**
 * The words and facet filters of a search as one condition on the search index: every word, one
 * of the values of each filtered facet, and the status unless published (most of the catalog).
 * PostgreSQL answers it with one GIN lookup that intersects them all; undefined when there is
 * nothing to look up. `index` is the expression searched: the entries other nodes reported hold
 * the same terms in their own column.
 */
export function searchIndexCondition(
  query: IndexedFilters,
  words: string | undefined,
  index: RawBuilder<unknown> = SEARCH_INDEX,
): RawBuilder<SqlBool> | undefined {
  const parts = words ? [`(${words})`] : [];
  if (query.status !== 'published') parts.push(`'st:${query.status}'`);
  for (const facet of Object.keys(TERMS) as Array<keyof typeof TERMS>) {
    const values = [...new Set(list(query[facet]).map((v) => term(facet, v)))];
    if (values.length) parts.push(`(${values.join(' | ')})`);
  }
  if (!parts.length) return undefined;
  return sql<SqlBool>`${index} @@ ${parts.join(' & ')}::tsquery`;
}
