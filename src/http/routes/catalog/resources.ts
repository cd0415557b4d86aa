import { z } from 'zod';
import {
  CatalogChangeSchema,
  CreateResourceSchema,
  createResource,
  getResource,
  getVersion,
  listResources,
  listVersions,
  type Outcome,
  ResourceSchema,
  ResourceStatusSchema,
  requestPublish,
  requestUpdate,
  resourcePolicy,
  retireResource,
  UpdateResourceSchema,
  VersionSchema,
  VersionSummarySchema,
} from '../../../catalog/index.js';
import { boundResourceIds, checkOpenReleaseBeforePublish } from '../../../query/index.js';
import { PageQuerySchema, pageSchema } from '../../../store/index.js';
import { recordEvent } from '../../audit-event.js';
import type { App, AppContext } from '../../types.js';
import { callerOf } from '../query.js';
import { refusals } from '../schemas.js';
import { recordSubmitted, reviewSetting } from './changes.js';
import { CodeParams, TAGS } from './params.js';

const tags = TAGS.resources;

/** Resources (信息资源): a steward's create, edit, publish and retire; anyone's read of what they may see. */
export async function resourceRoutes(app: App, context: AppContext): Promise<void> {
  const { store, audit, query } = context;
  const setting = reviewSetting(context);
  const pendingAnswer = CatalogChangeSchema.describe(
    'catalog review required: the change waits for the catalog reviewer (docs/catalog.md)',
  );
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
        response: {
          200: pageSchema(
            ResourceSchema.extend({
              bound: z
                .boolean()
                .optional()
                .describe(
                  'whether its data is bound to a source (the caller’s own organisation’s resources only)',
                ),
            }),
          ),
          ...refusals,
        },
      },
    },
    async (request) => {
      const { providerId, status, ...page } = request.query;
      const found = await listResources(store.db, request.actor, page, { providerId, status });
      // A provider's console asks for a binding only where one exists.
      const orgId = request.actor.kind === 'anonymous' ? undefined : request.actor.orgId;
      const own = found.items.filter((r) => r.provider.id === orgId);
      const bound = await boundResourceIds(
        store.db,
        own.map((r) => r.id),
      );
      return {
        ...found,
        items: found.items.map((r) => (r.provider.id === orgId ? { ...r, bound: bound.has(r.id) } : r)),
      };
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
    async (request, reply) => {
      const created = await createResource(store.db, request.actor, request.body);
      await recordEvent(audit, request, 'resource.created', resourcePolicy(created), {
        resources: [created.code],
      });
      return reply.code(201).send(created);
    },
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
        summary:
          'Change a resource: a draft at once (200); a published one gets a new version, after catalog review where it is required (202)',
        params: CodeParams,
        body: UpdateResourceSchema,
        response: { 200: ResourceSchema, 202: pendingAnswer, ...refusals },
      },
    },
    async (request, reply) => {
      const { code } = request.params;
      const outcome: Outcome = await requestUpdate(store.db, request.actor, code, request.body, setting);
      if ('pending' in outcome) {
        await recordSubmitted(audit, request, outcome.pending);
        return reply.code(202).send(outcome.pending);
      }
      const updated = outcome.applied;
      // Field names, not values: the entry says what changed; the version holds the values.
      await recordEvent(
        audit,
        request,
        'resource.updated',
        {
          ...resourcePolicy(updated),
          fields: Object.keys(request.body).sort(),
          previousCode: updated.code === code ? null : code,
        },
        { resources: [code, updated.code] },
      );
      return reply.code(200).send(updated);
    },
  );

  app.post(
    '/api/v1/resources/:code/publish',
    {
      schema: {
        tags,
        summary:
          'Publish a draft (version 1) at once (200), or submit it for catalog review where it is required (202)',
        params: CodeParams,
        response: { 200: ResourceSchema, 202: pendingAnswer, ...refusals },
      },
    },
    async (request, reply) => {
      // Publishing opens the open data: a gated open release must reach k on its rows first (the
      // steward's submission is checked, so that a reviewer never approves one that would not).
      await checkOpenReleaseBeforePublish(query, callerOf(request), request.params.code);
      const outcome = await requestPublish(store.db, request.actor, request.params.code, setting);
      if ('pending' in outcome) {
        await recordSubmitted(audit, request, outcome.pending);
        return reply.code(202).send(outcome.pending);
      }
      const resource = outcome.applied;
      await recordEvent(audit, request, 'resource.published', resourcePolicy(resource), {
        resources: [resource.code],
      });
      return reply.code(200).send(resource);
    },
  );

  app.post(
    '/api/v1/resources/:code/retire',
    {
      schema: {
        tags,
        summary: 'Retire a published resource',
        params: CodeParams,
        response: { 200: ResourceSchema, ...refusals },
      },
    },
    async (request) => {
      const resource = await retireResource(store.db, request.actor, request.params.code);
      await recordEvent(audit, request, 'resource.retired', resourcePolicy(resource), {
        resources: [resource.code],
      });
      return resource;
    },
  );

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
