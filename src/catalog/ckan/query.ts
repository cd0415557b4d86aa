import { AppError, BadRequestError } from '../../errors/index.js';
import type { Facet, SearchQuery } from '../search-query.js';

/** CKAN's "Search Query Error" (409): the q, fq or sort cannot be read. */
export class CkanSearchError extends AppError {
  constructor(message: string) {
    super(409, 'search_query_error', `Search Query is invalid: ${message}`);
  }
}

type FilterKey = Exclude<
  keyof SearchQuery,
  'q' | 'status' | 'sort' | 'limit' | 'offset' | 'facets' | 'facetLimit'
>;

// CKAN (Solr) field names and ours: the CKAN core ones, and the catalog's own as extras.
const FIELDS: Record<string, { key: FilterKey; facet?: Facet; upper?: boolean }> = {
  organization: { key: 'provider', facet: 'provider' },
  owner_org: { key: 'provider', facet: 'provider' },
  tags: { key: 'tag', facet: 'tag' },
  res_format: { key: 'format', facet: 'format' },
  license_id: { key: 'licence' },
  name: { key: 'name', upper: true },
  groups: { key: 'classification', facet: 'classification' },
  classification: { key: 'classification', facet: 'classification' },
  sharing_type: { key: 'sharingType', facet: 'sharingType' },
  open_type: { key: 'openType', facet: 'openType' },
  grade: { key: 'grade', facet: 'grade' },
  update_cycle: { key: 'updateCycle', facet: 'updateCycle' },
  region: { key: 'region', facet: 'region' },
  level: { key: 'level', facet: 'level' },
};

/** Our facet for a CKAN `facet.field` name, if we count it. */
export function facetOf(field: string): Facet | undefined {
  return FIELDS[field]?.facet;
}

// field:value, field:"a value", field:(a OR b); a leading + is Solr's "must", which all are here.
const CLAUSE = /(^|\s)\+?([a-z_]+):("([^"]*)"|\(([^)]*)\)|(\S+))/g;

/** Reads `field:value` clauses out of a Solr-style string into filters; returns the free text left over. */
function readClauses(text: string, filters: Partial<Record<FilterKey, string[]>>): string {
  const rest = text.replace(
    CLAUSE,
    (_all, lead: string, field: string, _v, quoted?: string, group?: string, bare?: string) => {
      const target = FIELDS[field];
      if (!target) throw new CkanSearchError(`unknown field "${field}"`);
      const values =
        group !== undefined
          ? group.split(/\s+OR\s+/).map((v) => v.trim().replace(/^"|"$/g, ''))
          : [quoted ?? bare ?? ''];
      for (const value of values) {
        if (!value) continue;
        const list = filters[target.key] ?? [];
        list.push(target.upper ? value.toUpperCase() : value);
        filters[target.key] = list;
      }
      return lead;
    },
  );
  return rest.replace(/\b(AND|&&)\b/g, ' ').trim();
}

const SORTS: Record<string, SearchQuery['sort']> = {
  'score desc': 'relevance',
  'score desc, metadata_modified desc': 'relevance',
  'metadata_modified desc': 'updated',
  'metadata_created desc': 'created',
  'name asc': 'name',
  'title_string asc': 'name',
};

/** `package_search` parameters after CKAN's own parsing. */
export interface CkanSearchParams {
  q?: string;
  fq?: string;
  rows?: number;
  start?: number;
  sort?: string;
  facetFields?: string[];
  facetLimit?: number;
}

/** Turns CKAN `package_search` parameters into a catalog search. */
export function ckanToSearch(params: CkanSearchParams): SearchQuery {
  const filters: Partial<Record<FilterKey, string[]>> = {};
  const q = params.q?.trim() === '*:*' ? '' : readClauses(params.q ?? '', filters);
  if (params.fq) {
    const left = readClauses(params.fq, filters);
    if (left && left !== '*:*') throw new CkanSearchError(`cannot read fq "${left}"`);
  }
  const sortKey = (params.sort ?? 'score desc, metadata_modified desc')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
  const sort = SORTS[sortKey];
  if (!sort) throw new CkanSearchError(`cannot sort by "${params.sort}"`);
  const rows = params.rows ?? 10;
  if (!Number.isInteger(rows) || rows < 0 || rows > 1000) {
    throw new BadRequestError('invalid_rows', 'rows must be an integer from 0 to 1000', { field: 'rows' });
  }
  const start = params.start ?? 0;
  if (!Number.isInteger(start) || start < 0) {
    throw new BadRequestError('invalid_start', 'start must be a non-negative integer', { field: 'start' });
  }
  const facets = (params.facetFields ?? []).map(facetOf).filter((f): f is Facet => f !== undefined);
  return {
    ...filters,
    q: q || undefined,
    sort,
    limit: rows,
    offset: start,
    facets: [...new Set(facets)],
    facetLimit: params.facetLimit && params.facetLimit > 0 ? params.facetLimit : 50,
  } as SearchQuery;
}
