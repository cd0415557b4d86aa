import { type Kysely, type SqlBool, sql } from 'kysely';
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
import {
  type FederatedSearch,
  type NodeRef,
  nodeRef,
  reportedMatches,
  reportedViews,
} from './search-reported.js';
import { visibleResourceFilter } from './visibility.js';

type Db = Kysely<Database>;

/** A page of search results, the total, and the facet counts over all matches. */
export interface SearchResult {
  count: number;
  /** With `node` on a federated node: this node's own or the one that reported the entry. */
  items: Array<ResourceView & { node?: NodeRef }>;
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
export async function searchResources(
  db: Db,
  actor: Actor,
  input: SearchQuery = {},
  federation?: FederatedSearch,
): Promise<SearchResult> {
  const query = parseInput(SearchQuerySchema, input);
  const text = textQueries(query.q);
  // The node facet only means something on a node of a federation.
  const wanted = query.facets ?? FACETS.filter((f) => federation !== undefined || f !== 'node');
  const relevance = text !== undefined && query.sort === 'relevance';
  const nodes = query.node === undefined ? [] : [query.node].flat();
  const withLocal = !nodes.length || (federation !== undefined && nodes.includes(federation.nodeId));
  const withReported =
    federation !== undefined &&
    query.status === 'published' &&
    (!nodes.length || nodes.some((n) => n !== federation.nodeId));
  const local = db
    .selectFrom('resources')
    .where(visibleResourceFilter(actor))
    .where(searchFilter(query))
    .where(withLocal ? sql<SqlBool>`true` : sql<SqlBool>`false`)
    .select([...MATCH_COLUMNS])
    .select([
      (relevance ? sql<boolean>`resources.search_doc @@ ${text.title}::tsquery` : sql<boolean>`false`).as(
        'title_hit',
      ),
      (relevance ? sql<number>`ts_rank(resources.search_doc, ${text.any}::tsquery)` : sql<number>`0`).as(
        'rank',
      ),
      sql<string | null>`${federation?.nodeId ?? null}::text`.as('node_id'),
      sql<string | null>`null::text`.as('origin'),
    ]);
  const reported = withReported ? reportedMatches(db, actor, query, text, relevance) : undefined;
  const matches = reported ? sql`(${local}) union all (${reported})` : sql`${local}`;
  const order = pageOrder(query.sort, relevance);
  const { rows } = await sql<{
    total: number;
    ids: Array<{ id: string; origin: string | null }>;
    facets: FacetCountRow[] | null;
    tags: Array<{ tag: string; count: number }> | null;
  }>`with matches as materialized (${matches})
    select
      (select count(*)::int from matches) as total,
      (select coalesce(json_agg(json_build_object('id', p.id, 'origin', p.origin) order by p.n), '[]'::json) from (
        select m.id, m.origin, row_number() over (order by ${order}) as n from matches m
        order by ${order} limit ${query.limit} offset ${query.offset}) p) as ids,
      ${facetCountsSql(wanted)} as facets,
      ${tagCountsSql(wanted, query.facetLimit)} as tags`.execute(db);
  const found = rows[0]!;
  const localIds = found.ids.filter((k) => k.origin === null).map((k) => String(k.id));
  const byId = new Map(
    localIds.length
      ? // Visibility again: a resource retired or withdrawn between the two statements stays out.
        (
          await selectResources(db)
            .where('resources.id', 'in', localIds)
            .where(visibleResourceFilter(actor))
            .execute()
        ).map((r) => [r.id, r])
      : [],
  );
  const remote = federation
    ? await reportedViews(
        db,
        found.ids.flatMap((k) => (k.origin === null ? [] : [{ id: String(k.id), origin: k.origin }])),
        federation,
      )
    : new Map();
  const facets = facetBuckets(wanted, found.facets, found.tags, query.facetLimit);
  if (federation && facets.node)
    facets.node = facets.node.map((b) => ({ ...b, label: nodeRef(federation, b.value).name }));
  return {
    count: Number(found.total),
    items: found.ids.flatMap((k) => {
      if (k.origin !== null) {
        const view = remote.get(`${k.origin} ${k.id}`);
        return view ? [view] : [];
      }
      const row = byId.get(String(k.id));
      if (!row) return [];
      return [
        federation
          ? { ...presentResource(row), node: nodeRef(federation, federation.nodeId) }
          : presentResource(row),
      ];
    }),
    facets,
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
