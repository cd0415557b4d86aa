import { z } from 'zod';
import {
  ClassificationSchema,
  FacetSchema,
  listClassifications,
  ResourceSchema,
  SearchQuerySchema,
  searchResources,
} from '../../../catalog/index.js';
import { federatedSearchOf } from '../../../federation/index.js';
import type { App, AppContext } from '../../types.js';
import { refusals } from '../schemas.js';
import { TAGS } from './params.js';

const tags = TAGS.search;

// In a query string each filter is one value; facets are a comma-separated list.
const SearchQueryString = SearchQuerySchema.omit({ facets: true })
  .extend({
    facets: z
      .string()
      .regex(/^[A-Za-z,]*$/)
      .optional()
      .describe(`comma-separated, of: ${FacetSchema.options.join(', ')}; empty for none`),
    limit: z.coerce.number().int().min(0).max(100).default(20),
  })
  .strict();

const BucketSchema = z.object({ value: z.string(), label: z.string(), count: z.number().int() });
const SearchResultSchema = z.object({
  count: z.number().int(),
  items: z.array(
    ResourceSchema.extend({
      node: z
        .object({
          nodeId: z.string(),
          name: z.string(),
          regionCode: z.string(),
          local: z.boolean().describe('this node’s own entry (false: reported by another node)'),
        })
        .optional()
        .describe('on a federation node: the node the entry belongs to (this one, or one that reported it)'),
    }),
  ),
  facets: z.partialRecord(FacetSchema, z.array(BucketSchema)),
  membersOnly: z
    .number()
    .int()
    .optional()
    .describe(
      'visitors’ text searches: how many shared, not open resources match for signed-in members (a count, never titles)',
    ),
});

/** Catalog search and the classification tree: public, each caller seeing what it may. */
export async function searchRoutes(app: App, { store }: AppContext): Promise<void> {
  // The node's identity and its configuration's node names, read at most once a few seconds: a
  // search should not parse the signed configuration each time.
  let federation: { at: number; value: Promise<Awaited<ReturnType<typeof federatedSearchOf>>> } | undefined;
  const federated = () => {
    if (!federation || Date.now() - federation.at > 5_000)
      federation = {
        at: Date.now(),
        value: federatedSearchOf(store.db).catch((error: unknown) => {
          federation = undefined; // a failed read is not kept: the next search reads again
          throw error;
        }),
      };
    return federation.value;
  };
  app.get(
    '/api/v1/catalog/search',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Full-text search (Chinese and English) with facets and filters',
        querystring: SearchQueryString,
        response: { 200: SearchResultSchema, ...refusals },
      },
    },
    async (request) => {
      const { facets, ...query } = request.query;
      const wanted = facets === undefined ? undefined : facets.split(',').filter(Boolean);
      return searchResources(
        store.db,
        request.actor,
        { ...query, facets: wanted === undefined ? undefined : z.array(FacetSchema).parse(wanted) },
        await federated(),
      );
    },
  );

  app.get(
    '/api/v1/catalog/classifications',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The classification tree (类/项/目/细目)',
        response: { 200: z.object({ items: z.array(ClassificationSchema) }) },
      },
    },
    async () => ({ items: await listClassifications(store.db) }),
  );
}
