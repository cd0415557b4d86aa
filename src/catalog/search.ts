import { type Kysely, sql } from 'kysely';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { countFacets, type FacetBucket } from './facets.js';
import { parseInput } from './parse-input.js';
import { presentResource } from './presenters.js';
import { selectResources } from './resource-rows.js';
import type { ResourceView } from './schemas.js';
import {
  type Facet,
  type SearchQuery,
  SearchQuerySchema,
  searchFilter,
  textQueries,
} from './search-query.js';
import { visibleResourceFilter } from './visibility.js';

type Db = Kysely<Database>;

/** A page of search results, the total, and the facet counts over all matches. */
export interface SearchResult {
  count: number;
  items: ResourceView[];
  facets: Partial<Record<Facet, FacetBucket[]>>;
}

/**
 * Full-text search of the catalog in Chinese and English with facets and filters. Only what
 * the actor may see is matched or counted. With text, resources whose name matches come first,
 * then by rank (name, then tags and keywords, then summary, then items and provider).
 */
export async function searchResources(db: Db, actor: Actor, input: SearchQuery = {}): Promise<SearchResult> {
  const query = parseInput(SearchQuerySchema, input);
  const text = textQueries(query.q);
  const matches = selectResources(db).where(visibleResourceFilter(actor)).where(searchFilter(query));
  let page = matches.limit(query.limit).offset(query.offset);
  if (text && query.sort === 'relevance') {
    page = page
      .orderBy(sql`resources.search_doc @@ ${text.title}::tsquery`, 'desc')
      .orderBy(sql`ts_rank(resources.search_doc, ${text.any}::tsquery)`, 'desc');
  }
  page = {
    relevance: page.orderBy('resources.published_at', 'desc'),
    published: page.orderBy('resources.published_at', 'desc'),
    updated: page.orderBy('resources.updated_at', 'desc'),
    created: page.orderBy('resources.created_at', 'desc'),
    name: page.orderBy('resources.name'),
  }[query.sort].orderBy('resources.id');
  const [rows, total, facets] = await Promise.all([
    query.limit > 0 ? page.execute() : Promise.resolve([]),
    db
      .selectFrom('resources')
      .where(visibleResourceFilter(actor))
      .where(searchFilter(query))
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow(),
    query.facets?.length === 0 ? Promise.resolve({}) : countFacets(db, actor, query),
  ]);
  return { count: Number(total.n), items: rows.map(presentResource), facets };
}
