import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../store/index.js';
import { searchIndexCondition } from './search-index.js';
import { queryTerms, toTsQuery } from './tokenize.js';
import {
  GradeSchema,
  OpenTypeSchema,
  ResourceStatusSchema,
  SharingTypeSchema,
  UpdateCycleSchema,
} from './vocab.js';

/** The facets search counts, and filters on. */
export const FACETS = [
  'provider',
  'classification',
  'sharingType',
  'openType',
  'grade',
  'format',
  'updateCycle',
  'region',
  'level',
  'tag',
  'node',
] as const;
export const FacetSchema = z.enum(FACETS);
export type Facet = z.infer<typeof FacetSchema>;

const one = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema).max(20)]).optional();

/** A search: free text, filters (each a value or a list of alternatives), order and window. */
export const SearchQuerySchema = z.strictObject({
  q: z.string().trim().max(200).optional().describe('free text, Chinese or English'),
  provider: one(z.uuid()).describe('提供方 organisation id'),
  classification: one(z.string().regex(/^\d{1,12}$/)).describe(
    'a classification code or its prefix (类/项/目)',
  ),
  sharingType: one(SharingTypeSchema),
  openType: one(OpenTypeSchema),
  grade: one(GradeSchema),
  format: one(z.string().max(40)),
  updateCycle: one(UpdateCycleSchema),
  region: one(z.string().regex(/^\d{2,6}$/)).describe('the provider’s GB/T 2260 code or a prefix'),
  level: one(z.enum(['national', 'provincial', 'municipal', 'county'])).describe('the provider’s level'),
  tag: one(z.string().max(50)),
  node: one(z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/)).describe(
    'the federation node an entry belongs to (this node’s own or one that reported to it)',
  ),
  licence: one(z.string().max(200)),
  name: one(z.string().max(64)).describe('resource codes'),
  status: ResourceStatusSchema.default('published'),
  sort: z.enum(['relevance', 'published', 'updated', 'name', 'created']).default('relevance'),
  limit: z.coerce.number().int().min(0).max(1000).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  facets: z.array(FacetSchema).optional().describe('facets to count; all when absent'),
  facetLimit: z.coerce.number().int().min(1).max(1000).default(50),
});
export type SearchQuery = z.input<typeof SearchQuerySchema>;
export type ParsedSearchQuery = z.output<typeof SearchQuerySchema>;

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** The tsqueries of the text: any match, and a match in the name (which ranks first); undefined without text. */
export function textQueries(q: string | undefined): { any: string; title: string } | undefined {
  const terms = queryTerms(q ?? '');
  if (terms.length === 0) return undefined;
  return { any: toTsQuery(terms), title: toTsQuery(terms, 'A') };
}

/**
 * The filters of a search as one SQL condition on `resources` (visibility is added by the caller).
 * The words and the facets the search index holds are looked up in it (searchIndexCondition),
 * exactly as the plain filters would match them; `searchIndex: false` gives the plain filters
 * instead, which the equivalence test compares. (Both together would let PostgreSQL intersect the
 * index's few candidates with tens of thousands from a B-tree on the same columns.)
 */
export function searchFilter(query: ParsedSearchQuery, { searchIndex = true } = {}) {
  return (eb: ExpressionBuilder<Database, 'resources'>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [eb('resources.status', '=', query.status)];
    const text = textQueries(query.q);
    const indexed = searchIndex ? searchIndexCondition(query, text?.any) : undefined;
    const exact = (column: Parameters<typeof eb>[0], values: string[]) => {
      if (values.length) conditions.push(eb(column, 'in', values));
    };
    const prefix = (
      column: 'resources.classification_code' | 'resources.provider_region',
      values: string[],
    ) => {
      if (values.length) conditions.push(eb.or(values.map((v) => eb(column, 'like', `${v}%`))));
    };
    if (!indexed) {
      exact('resources.provider_id', list(query.provider));
      prefix('resources.classification_code', list(query.classification));
      exact('resources.sharing_type', list(query.sharingType));
      exact('resources.open_type', list(query.openType));
      exact('resources.grade', list(query.grade));
      exact('resources.update_cycle', list(query.updateCycle));
      prefix('resources.provider_region', list(query.region));
      exact('resources.provider_level', list(query.level));
    }
    exact('resources.format', list(query.format));
    exact('resources.licence', list(query.licence));
    exact('resources.code', list(query.name));
    const tags = list(query.tag);
    if (tags.length) conditions.push(sql<SqlBool>`resources.tags && ${sql.val(tags)}::text[]`);
    // The words stay a plain filter too: exact, and cheap on the few rows the index returns.
    if (text) conditions.push(sql<SqlBool>`resources.search_doc @@ ${text.any}::tsquery`);
    if (indexed) conditions.push(indexed);
    return eb.and(conditions);
  };
}
