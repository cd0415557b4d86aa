import { type Kysely, sql } from 'kysely';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import {
  type FacetBucket,
  type FacetCountRow,
  facetBuckets,
  facetCountsSql,
  tagCountsSql,
} from './facets.js';
import { parseInput } from './parse-input.js';
import { presentResource } from './presenters.js';
import { selectResources } from './resource-rows.js';
import type { ResourceView } from './schemas.js';
import {
  FACETS,
  type Facet,
  type ParsedSearchQuery,
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
  /**
   * For a visitor's search: how many published shared resources (共享, 不予开放) that only signed-in
   * members see match too. A count only: visitors never see such a resource's title.
   */
  membersOnly?: number;
}

type Sort = ParsedSearchQuery['sort'];

/** The page's order over the CTE `matches` (ties broken by id, so pages never overlap). */
function pageOrder(sort: Sort, relevance: boolean) {
  const by = {
    relevance: relevance ? sql`m.title_hit desc, m.rank desc, m.published_at desc` : sql`m.published_at desc`,
    published: sql`m.published_at desc`,
    updated: sql`m.updated_at desc`,
    created: sql`m.created_at desc`,
    name: sql`m.name`,
  }[sort];
  return sql`${by}, m.id`;
}

/**
 * Full-text search of the catalog in Chinese and English with facets and filters. Only what
 * the actor may see is matched or counted. With text, resources whose name matches come first,
 * then by rank (name, then tags and keywords, then summary, then items and provider).
 *
 * The matches are found once (a materialised CTE) and the total, the page's ids, the facet
 * counts and the tags are all taken from them in one statement; the page's rows follow by id.
 * Four statements each re-reading the matching rows cost four times the heap scan.
 */
export async function searchResources(db: Db, actor: Actor, input: SearchQuery = {}): Promise<SearchResult> {
  const query = parseInput(SearchQuerySchema, input);
  const text = textQueries(query.q);
  const wanted = query.facets ?? [...FACETS];
  const relevance = text !== undefined && query.sort === 'relevance';
  const matches = db
    .selectFrom('resources')
    .where(visibleResourceFilter(actor))
    .where(searchFilter(query))
    .select([...MATCH_COLUMNS])
    .select([
      (relevance ? sql<boolean>`resources.search_doc @@ ${text.title}::tsquery` : sql<boolean>`false`).as(
        'title_hit',
      ),
      (relevance ? sql<number>`ts_rank(resources.search_doc, ${text.any}::tsquery)` : sql<number>`0`).as(
        'rank',
      ),
    ]);
  const order = pageOrder(query.sort, relevance);
  const { rows } = await sql<{
    total: number;
    ids: string[];
    facets: FacetCountRow[] | null;
    tags: Array<{ tag: string; count: number }> | null;
  }>`with matches as materialized (${matches})
    select
      (select count(*)::int from matches) as total,
      (select coalesce(json_agg(p.id order by p.n), '[]'::json) from (
        select m.id, row_number() over (order by ${order}) as n from matches m
        order by ${order} limit ${query.limit} offset ${query.offset}) p) as ids,
      ${facetCountsSql(wanted)} as facets,
      ${tagCountsSql(wanted, query.facetLimit)} as tags`.execute(db);
  const found = rows[0]!;
  const ids = found.ids.map(String);
  const byId = new Map(
    ids.length
      ? // Visibility again: a resource retired or withdrawn between the two statements stays out.
        (
          await selectResources(db)
            .where('resources.id', 'in', ids)
            .where(visibleResourceFilter(actor))
            .execute()
        ).map((r) => [r.id, r])
      : [],
  );
  return {
    count: Number(found.total),
    items: ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [presentResource(row)] : [];
    }),
    facets: facetBuckets(wanted, found.facets, found.tags, query.facetLimit),
    ...(actor.kind === 'anonymous' && text !== undefined
      ? { membersOnly: await membersOnly(db, query) }
      : {}),
  };
}

/** Published resources that members may see and visitors may not (shared, not open) matching a search. */
async function membersOnly(db: Db, query: ParsedSearchQuery): Promise<number> {
  const row = await db
    .selectFrom('resources')
    .where('resources.status', '=', 'published')
    .where('resources.sharing_type', '<>', 'not_shared')
    .where('resources.open_type', '=', 'not_open')
    .where(searchFilter(query))
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What the CTE keeps of each match: the facet columns, the sort keys and the tags. */
const MATCH_COLUMNS = [
  'resources.id',
  'resources.name',
  'resources.provider_id',
  'resources.provider_name',
  'resources.classification_code',
  'resources.sharing_type',
  'resources.open_type',
  'resources.grade',
  'resources.format',
  'resources.update_cycle',
  'resources.provider_region',
  'resources.provider_level',
  'resources.tags',
  'resources.published_at',
  'resources.updated_at',
  'resources.created_at',
] as const;
