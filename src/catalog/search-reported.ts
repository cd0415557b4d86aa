import { type Expression, type Kysely, type SqlBool, sql } from 'kysely';
import type { Actor } from '../identity/index.js';
import type { Database } from '../store/index.js';
import type { ResourceView } from './schemas.js';
import { searchIndexCondition } from './search-index.js';
import type { ParsedSearchQuery } from './search-query.js';

type Db = Kysely<Database>;

/** The node a search runs on, and the nodes whose reported entries it may show (id → name, region). */
export interface FederatedSearch {
  nodeId: string;
  nodes: ReadonlyMap<string, { name: string; regionCode: string }>;
}

/** Where an entry comes from, shown beside it in a federated search. */
export interface NodeRef {
  nodeId: string;
  name: string;
  regionCode: string;
  /** This node's own entry: its page is GET /resources/{code}; another node's is read through it. */
  local: boolean;
}

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

const quoted = (v: string) => `'${v.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/**
 * The entries other nodes reported that match a search, with the columns of the local matches
 * (search.ts's CTE) in the same order: only published ones, for visitors only the open ones (the
 * local rule, canSeeResource: members see what is shared). Words and facets are one lookup in
 * the entries' own GIN index, as for local resources.
 */
export function reportedMatches(
  db: Db,
  actor: Actor,
  query: ParsedSearchQuery,
  text: { any: string; title: string } | undefined,
  relevance: boolean,
) {
  const nodes = list(query.node);
  const indexed = searchIndexCondition({ ...query, status: 'published' }, text?.any, sql`e.search_doc`);
  return db
    .selectFrom('federation_catalog_entries as e')
    .where('e.status', '=', 'published')
    .where((eb) => {
      const conditions: Expression<SqlBool>[] = [
        actor.kind === 'anonymous'
          ? eb('e.open_type', '<>', 'not_open')
          : eb('e.sharing_type', '<>', 'not_shared'),
      ];
      if (indexed) conditions.push(indexed);
      if (nodes.length)
        conditions.push(
          sql<SqlBool>`e.search_doc @@ ${`(${nodes.map((n) => quoted(`n:${n}`)).join(' | ')})`}::tsquery`,
        );
      const exact = (column: 'e.licence' | 'e.code', values: string[]) => {
        if (values.length) conditions.push(eb(column, 'in', values));
      };
      exact('e.licence', list(query.licence));
      exact('e.code', list(query.name));
      const tags = list(query.tag);
      if (tags.length) conditions.push(sql<SqlBool>`e.tags && ${sql.val(tags)}::text[]`);
      return eb.and(conditions);
    })
    .select([
      'e.resource_id as id',
      'e.name',
      'e.provider_id',
      'e.provider_name',
      'e.classification_code',
      'e.sharing_type',
      'e.open_type',
      'e.grade',
      'e.format',
      'e.update_cycle',
      'e.provider_region',
      'e.provider_level',
      'e.tags',
      'e.published_at',
      'e.updated_at',
      'e.created_at',
      (relevance ? sql<boolean>`e.search_doc @@ ${text!.title}::tsquery` : sql<boolean>`false`).as(
        'title_hit',
      ),
      (relevance ? sql<number>`ts_rank(e.search_doc, ${text!.any}::tsquery)` : sql<number>`0`).as('rank'),
      'e.origin_node_id as node_id',
      'e.origin_node_id as origin',
    ]);
}

/** The reported entries of a page, by (origin node, id), as the API shows them with their node. */
export async function reportedViews(
  db: Db,
  keys: Array<{ id: string; origin: string }>,
  federation: FederatedSearch,
): Promise<Map<string, ResourceView & { node: NodeRef }>> {
  if (!keys.length) return new Map();
  const rows = await db
    .selectFrom('federation_catalog_entries')
    .select(['origin_node_id', 'resource_id', 'view'])
    .where('status', '=', 'published')
    .where((eb) =>
      eb.or(keys.map((k) => eb.and([eb('origin_node_id', '=', k.origin), eb('resource_id', '=', k.id)]))),
    )
    .execute();
  return new Map(
    rows.map((r) => {
      const view = (typeof r.view === 'string' ? JSON.parse(r.view) : r.view) as ResourceView;
      return [
        `${r.origin_node_id} ${r.resource_id}`,
        { ...view, node: nodeRef(federation, r.origin_node_id) },
      ];
    }),
  );
}

/** A node as a search shows it (its id alone when the configuration no longer lists it). */
export function nodeRef(federation: FederatedSearch, nodeId: string): NodeRef {
  const known = federation.nodes.get(nodeId);
  return {
    nodeId,
    name: known?.name ?? nodeId,
    regionCode: known?.regionCode ?? '',
    local: nodeId === federation.nodeId,
  };
}
