import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  exportDataPackage,
  importDataPackage,
  ResourceSchema,
  resourcePolicy,
  UpdateResourceSchema,
} from '../../../catalog/index.js';
import { recordEvent } from '../../audit-event.js';
import type { App, AppContext } from '../../types.js';
import { refusals } from '../schemas.js';
import { CodeParams, TAGS } from './params.js';

const tags = TAGS.views;
const baseUrl = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

const ImportBody = z.strictObject({
  descriptor: z.record(z.string(), z.unknown()).describe('a datapackage.json descriptor'),
  resource: z.string().max(200).optional().describe('which of its resources; the first when absent'),
  overrides: UpdateResourceSchema.omit({ items: true })
    .optional()
    .describe('catalog fields to set or replace, e.g. classificationCode and sharingType'),
});

/** Frictionless Data Package export of a resource's schema, and import of a package as a draft. */
export async function frictionlessRoutes(app: App, { store, audit }: AppContext): Promise<void> {
  app.get(
    '/api/v1/resources/:code/datapackage.json',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'The resource’s items as a Frictionless Data Package (datapackage.json)',
        params: CodeParams,
        response: { 200: z.record(z.string(), z.unknown()), ...refusals },
      },
    },
    async (request) => exportDataPackage(store.db, request.actor, request.params.code, baseUrl(request)),
  );

  app.post(
    '/api/v1/catalog/datapackage',
    {
      schema: {
        tags,
        summary: 'Create a draft resource with its items from a Data Package',
        body: ImportBody,
        response: { 201: ResourceSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const { descriptor, resource, overrides } = request.body;
      const created = await importDataPackage(store.db, request.actor, descriptor, overrides, resource);
      await recordEvent(
        audit,
        request,
        'resource.created',
        { ...resourcePolicy(created), via: 'datapackage' },
        { resources: [created.code] },
      );
      return reply.code(201).send(created);
    },
  );
}
