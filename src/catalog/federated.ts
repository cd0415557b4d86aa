import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, StoredItem } from '../store/index.js';
import { presentResource } from './presenters.js';
import { selectResources } from './resource-rows.js';
import type { ResourceView } from './schemas.js';
import { searchDocument } from './search-document.js';

/** The catalog's resources by id as the API shows them (for reporting them to a parent node). */
export async function resourceViewsById(db: Kysely<Database>, ids: string[]): Promise<ResourceView[]> {
  if (!ids.length) return [];
  const rows = await selectResources(db).where('resources.id', 'in', ids).execute();
  return rows.map(presentResource);
}

/** Whether a resource is in the published catalog other nodes see: published, and shared or open. */
export function isReportable(view: Pick<ResourceView, 'status' | 'sharingType' | 'openType'>): boolean {
  return view.status === 'published' && (view.sharingType !== 'not_shared' || view.openType !== 'not_open');
}

const quoted = (lexeme: string) => `'${lexeme.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
const prefixes = (value: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => value.slice(0, from + i));

/**
 * The search document (tsvector text) of an entry another node reported: its words as local
 * resources have them, and the facet terms resource_search_terms gives local ones (migration
 * 0028) plus 'n:' and its origin node, so that one GIN lookup answers words and filters alike.
 */
export function reportedSearchDocument(view: ResourceView, originNodeId: string): string {
  const words = searchDocument({
    name: view.name,
    tags: view.tags,
    keywords: view.keywords,
    summary: view.summary,
    classificationName: view.classification.name,
    items: view.items as StoredItem[],
    providerName: view.provider.name,
  });
  const terms = [
    `st:${view.status}`,
    `p:${view.provider.id.toLowerCase()}`,
    ...prefixes(view.classification.code, 1, 12).map((c) => `c:${c}`),
    `s:${view.sharingType}`,
    `o:${view.openType}`,
    `g:${view.grade}`,
    `f:${createHash('md5').update(view.format, 'utf8').digest('hex')}`,
    `u:${view.updateCycle}`,
    ...prefixes(view.provider.regionCode, 2, 6).map((r) => `r:${r}`),
    `l:${view.provider.level}`,
    `n:${originNodeId}`,
  ];
  return `${words} ${[...new Set(terms)].map(quoted).join(' ')}`.trim();
}
