import { z } from 'zod';
import {
  BindingViewSchema,
  BindResourceSchema,
  bindResource,
  describeBinding,
  ScanRequestSchema,
  scanSource,
  unbindResource,
} from '../../query/index.js';
import type { App, AppContext } from '../types.js';
import { CodeParams } from './catalog/params.js';
import { callerOf } from './query.js';
import { IdParams, refusals } from './schemas.js';

const tags = ['bindings'];

/** Where resources' data lives, and the privacy scan of source tables (provider stewards). */
export async function bindingRoutes(app: App, { query }: AppContext): Promise<void> {
  app.put(
    '/api/v1/resources/:code/binding',
    {
      schema: {
        tags,
        summary:
          'Bind a resource to a source table, view, file or SELECT; returns the privacy scan’s proposals per item',
        params: CodeParams,
        body: BindResourceSchema,
        response: { 200: BindingViewSchema, ...refusals },
      },
    },
    async (request) => bindResource(query, callerOf(request), request.params.code, request.body),
  );

  app.get(
    '/api/v1/resources/:code/binding',
    {
      schema: {
        tags,
        summary: 'A resource’s binding, with any drift of the source since it was bound',
        params: CodeParams,
        response: { 200: BindingViewSchema, ...refusals },
      },
    },
    async (request) => describeBinding(query, request.actor, request.params.code),
  );

  app.delete(
    '/api/v1/resources/:code/binding',
    {
      schema: {
        tags,
        summary: 'Unbind a resource',
        params: CodeParams,
        response: { 204: z.null(), ...refusals },
      },
    },
    async (request, reply) => {
      await unbindResource(query, callerOf(request), request.params.code);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/sources/:id/scan',
    {
      schema: {
        tags: ['sources'],
        summary: 'Privacy scan: sample a table and propose each column’s personal-information kind and grade',
        params: IdParams,
        body: ScanRequestSchema,
        response: {
          200: z.object({
            sampled: z.number(),
            grade: z.object({ grade: z.string(), level: z.number().optional() }),
            personal: z.boolean(),
            sensitive: z.boolean(),
            columns: z.array(z.record(z.string(), z.unknown())),
          }),
          ...refusals,
        },
      },
    },
    async (request) => {
      const result = await scanSource(
        query,
        request.actor,
        request.params.id,
        request.body,
        String(request.id),
      );
      return { ...result, columns: result.columns as unknown as Array<Record<string, unknown>> };
    },
  );
}
