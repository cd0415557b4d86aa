import { z } from 'zod';
import {
  CreateResourceSchema,
  createResource,
  getResource,
  getVersion,
  listResources,
  listVersions,
  publishResource,
  ResourceSchema,
  ResourceStatusSchema,
  retireResource,
  UpdateResourceSchema,
  updateResource,
  VersionSchema,
  VersionSummarySchema,
} from '../../../catalog/index.js';
import { PageQuerySchema, pageSchema } from '../../../store/index.js';
import type { App, AppContext } from '../../types.js';
import { refusals } from '../schemas.js';
import { CodeParams, TAGS } from './params.js';

const tags = TAGS.resources;

/** Resources (信息资源): a steward's create, edit, publish and retire; anyone's read of what they may see. */
export async function resourceRoutes(app: App, { store }: AppContext): Promise<void> {
  app.get(
    '/api/v1/resources',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'List the resources the caller may see (open resources when anonymous)',
        querystring: PageQuerySchema.extend({
          providerId: z.uuid().optional(),
          status: ResourceStatusSchema.optional(),
        }).strict(),
        response: { 200: pageSchema(ResourceSchema), ...refusals },
      },
    },
    async (request) => {
      const { providerId, status, ...page } = request.query;
      return listResources(store.db, request.actor, page, { providerId, status });
    },
  );

  app.post(
    '/api/v1/resources',
    {
      schema: {
        tags,
        summary: 'Create a draft resource (data steward of the provider)',
        body: CreateResourceSchema,
        response: { 201: ResourceSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createResource(store.db, request.actor, request.body)),
  );

  app.get(
    '/api/v1/resources/:code',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'One resource',
        params: CodeParams,
        response: { 200: ResourceSchema, ...refusals },
      },
    },
    async (request) => getResource(store.db, request.actor, request.params.code),
  );

  app.patch(
    '/api/v1/resources/:code',
    {
      schema: {
        tags,
        summary: 'Change a resource; a published one gets a new version',
        params: CodeParams,
        body: UpdateResourceSchema,
        response: { 200: ResourceSchema, ...refusals },
      },
    },
    async (request) => updateResource(store.db, request.actor, request.params.code, request.body),
  );

  for (const [verb, act] of [
    ['publish', publishResource],
    ['retire', retireResource],
  ] as const) {
    app.post(
      `/api/v1/resources/:code/${verb}`,
      {
        schema: {
          tags,
          summary: verb === 'publish' ? 'Publish a draft (version 1)' : 'Retire a published resource',
          params: CodeParams,
          response: { 200: ResourceSchema, ...refusals },
        },
      },
      async (request) => act(store.db, request.actor, request.params.code),
    );
  }

  app.get(
    '/api/v1/resources/:code/versions',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The published versions of a resource',
        params: CodeParams,
        response: { 200: z.object({ items: z.array(VersionSummarySchema) }), ...refusals },
      },
    },
    async (request) => ({ items: await listVersions(store.db, request.actor, request.params.code) }),
  );

  app.get(
    '/api/v1/resources/:code/versions/:version',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'One published version, as it was',
        params: CodeParams.extend({ version: z.coerce.number().int().min(1).max(1_000_000) }),
        response: { 200: VersionSchema, ...refusals },
      },
    },
    async (request) => getVersion(store.db, request.actor, request.params.code, request.params.version),
  );
}
