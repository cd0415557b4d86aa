import { type Kysely, sql } from 'kysely';
import { BadRequestError, type ErrorCode, NotFoundError } from '../../errors/index.js';
import type { Actor } from '../../identity/index.js';
import type { Database } from '../../store/index.js';
import { presentResource } from '../presenters.js';
import { selectResources } from '../resource-rows.js';
import type { ResourceView } from '../schemas.js';
import { searchResources } from '../search.js';
import { visibleResourceFilter } from '../visibility.js';
import { ckanName, ckanOrganization, ckanPackage, ckanResources } from './package.js';
import { ckanToSearch, facetOf } from './query.js';

type Db = Kysely<Database>;
type Params = Record<string, unknown>;

/** What an action needs: the store, the caller, its parameters and the site's base URL. */
export interface CkanContext {
  db: Db;
  actor: Actor;
  params: Params;
  base: string;
}

const text = (params: Params, name: string): string | undefined => {
  const value = params[name];
  return value === undefined || value === null ? undefined : String(value);
};
const int = (params: Params, name: string): number | undefined => {
  const value = text(params, name);
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  // Every integer parameter here is a count or a position, and SQL refuses negative ones.
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1)
    throw new BadRequestError(
      `invalid_${name.replace('.', '_')}` as ErrorCode,
      `${name} must be a non-negative integer`,
      { field: name },
    );
  return n;
};
const flag = (params: Params, name: string) =>
  ['true', '1', 'yes'].includes((text(params, name) ?? '').toLowerCase());
const required = (params: Params, name: string): string => {
  const value = text(params, name);
  if (!value) throw new BadRequestError('missing_value', `Missing value: ${name}`, { field: name });
  return value;
};

/** The published (or retired) resources the actor may see, as a query. */
const released = (db: Db, actor: Actor) =>
  selectResources(db).where(visibleResourceFilter(actor)).where('resources.status', '<>', 'draft');

async function findPackage(db: Db, actor: Actor, id: string): Promise<ResourceView> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  const row = await released(db, actor)
    .where(uuid ? 'resources.id' : 'resources.code', '=', uuid ? id : id.toUpperCase())
    .executeTakeFirst();
  if (!row) throw new NotFoundError('Dataset');
  return presentResource(row);
}

// The CKAN facet names asked for, from `facet.field` (a JSON list in a query string, a list in a body).
function facetFields(params: Params): string[] {
  const raw = params['facet.field'];
  if (raw === undefined) return [];
  if (Array.isArray(raw)) return raw.map(String);
  try {
    const parsed = JSON.parse(String(raw));
    if (Array.isArray(parsed)) return parsed.map(String);
  } catch {
    // fall through: one bare field name
  }
  return [String(raw)];
}

async function packageSearch({ db, actor, params, base }: CkanContext) {
  const fields = facetFields(params);
  const query = ckanToSearch({
    q: text(params, 'q'),
    fq: text(params, 'fq'),
    rows: int(params, 'rows'),
    start: int(params, 'start'),
    sort: text(params, 'sort'),
    facetFields: fields,
    facetLimit: int(params, 'facet.limit'),
  });
  const result = await searchResources(db, actor, query);
  const facets: Record<string, Record<string, number>> = {};
  const searchFacets: Record<string, { title: string; items: object[] }> = {};
  for (const field of fields) {
    const facet = facetOf(field);
    const buckets = (facet && result.facets[facet]) || [];
    facets[field] = Object.fromEntries(buckets.map((b) => [b.value, b.count]));
    searchFacets[field] = {
      title: field,
      items: buckets.map((b) => ({ count: b.count, display_name: b.label, name: b.value })),
    };
  }
  return {
    count: result.count,
    results: result.items.map((v) => ckanPackage(v, base)),
    sort: text(params, 'sort') ?? 'score desc, metadata_modified desc',
    facets,
    search_facets: searchFacets,
  };
}

async function packageList({ db, actor, params }: CkanContext) {
  let query = released(db, actor)
    .where('resources.status', '=', 'published')
    .clearSelect()
    .select('resources.code')
    .orderBy('resources.code');
  const limit = int(params, 'limit');
  if (limit !== undefined) query = query.limit(limit);
  const offset = int(params, 'offset');
  if (offset !== undefined) query = query.offset(offset);
  return (await query.execute()).map((r) => ckanName(r.code));
}

async function providers(db: Db, actor: Actor, id?: string) {
  let query = db
    .selectFrom('resources')
    .where(visibleResourceFilter(actor))
    .where('resources.status', '=', 'published')
    .select([
      'resources.provider_id as id',
      sql<string>`max(resources.provider_name)`.as('name'),
      sql<number>`count(*)::int`.as('count'),
    ])
    .groupBy('resources.provider_id')
    .orderBy('name');
  if (id) query = query.where('resources.provider_id', '=', id);
  return query.execute();
}

async function organizationList({ db, actor, params }: CkanContext) {
  const rows = await providers(db, actor);
  const offset = int(params, 'offset') ?? 0;
  const shown = rows.slice(offset, offset + (int(params, 'limit') ?? 1000));
  return flag(params, 'all_fields')
    ? shown.map((r) => ckanOrganization(r, Number(r.count)))
    : shown.map((r) => r.id);
}

async function organizationShow({ db, actor, params, base }: CkanContext) {
  const id = required(params, 'id');
  const uuid = /^[0-9a-f-]{36}$/i.test(id) ? id : '00000000-0000-0000-0000-000000000000';
  const [org] = await providers(db, actor, uuid);
  if (!org) throw new NotFoundError('Organization');
  const dict = ckanOrganization(org, Number(org.count));
  if (!flag(params, 'include_datasets')) return dict;
  const packages = await searchResources(db, actor, {
    provider: org.id,
    limit: 1000,
    sort: 'name',
    facets: [],
  });
  return { ...dict, packages: packages.items.map((v) => ckanPackage(v, base)) };
}

async function resourceShow({ db, actor, params, base }: CkanContext) {
  const id = required(params, 'id');
  const match = /^([0-9a-f-]{36})-([a-z]+)$/i.exec(id);
  if (!match) throw new NotFoundError('Resource');
  const resource = ckanResources(await findPackage(db, actor, match[1]!), base).find((r) => r.id === id);
  if (!resource) throw new NotFoundError('Resource');
  return resource;
}

async function tagList({ db, actor, params }: CkanContext) {
  const rows = await db
    .selectFrom('resources')
    .where(visibleResourceFilter(actor))
    .where('resources.status', '=', 'published')
    .select(sql<string>`unnest(resources.tags)`.as('tag'))
    .distinct()
    .orderBy('tag')
    .execute();
  const filter = text(params, 'query')?.toLowerCase();
  const tags = rows.map((r) => r.tag).filter((t) => !filter || t.toLowerCase().includes(filter));
  return flag(params, 'all_fields')
    ? tags.map((name) => ({ name, display_name: name, state: 'active' }))
    : tags;
}

function statusShow({ base }: CkanContext) {
  return {
    site_title: '汇通 Huitong',
    site_description: '政务数据共享与开放目录 (data-sharing catalog)',
    site_url: base,
    ckan_version: '2.10.4',
    error_emails_to: null,
    locale_default: 'zh_Hans_CN',
    extensions: ['huitong'],
  };
}

/** The CKAN actions supported, each with the docstring `help_show` returns. */
export const CKAN_ACTIONS: Record<string, { help: string; run: (c: CkanContext) => unknown }> = {
  package_search: {
    help: 'Searches datasets: q, fq, rows, start, sort, facet.field, facet.limit.',
    run: packageSearch,
  },
  package_show: {
    help: 'Returns one dataset by id or name.',
    run: async (c) => ckanPackage(await findPackage(c.db, c.actor, required(c.params, 'id')), c.base),
  },
  package_list: { help: 'Returns the names of the site’s datasets: limit, offset.', run: packageList },
  organization_list: {
    help: 'Returns the organisations that publish datasets: all_fields, limit, offset.',
    run: organizationList,
  },
  organization_show: { help: 'Returns one organisation: id, include_datasets.', run: organizationShow },
  resource_show: { help: 'Returns one resource by id.', run: resourceShow },
  tag_list: { help: 'Returns the tags in use: query, all_fields.', run: tagList },
  status_show: { help: 'Returns the site’s name, URL and CKAN version.', run: statusShow },
  help_show: {
    help: 'Returns the help of an action: name.',
    run: ({ params }) => {
      const name = required(params, 'name');
      const action = CKAN_ACTIONS[name];
      if (!action) throw new NotFoundError('Action');
      return action.help;
    },
  },
};

/** Runs a CKAN action; throws AppErrors that the CKAN route turns into CKAN's error envelope. */
export async function runCkanAction(name: string, context: CkanContext): Promise<unknown> {
  const action = Object.hasOwn(CKAN_ACTIONS, name) ? CKAN_ACTIONS[name] : undefined;
  if (!action) throw new BadRequestError('unknown_action', `Action name not known: ${name}`);
  return action.run(context);
}
