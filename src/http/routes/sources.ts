import { z } from 'zod';
import { AppError } from '../../errors/index.js';
import type { Actor } from '../../identity/index.js';
import { authorize } from '../../identity/index.js';
import {
  CreateSourceSchema,
  createSource,
  deleteSource,
  describeSource,
  getSource,
  listSources,
  SourceDescriptionSchema,
  SourceSchema,
  sourceFacts,
  TestResultSchema,
  testSource,
  UpdateSourceSchema,
  updateSource,
} from '../../sources/index.js';
import { PageQuerySchema, pageSchema } from '../../store/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { IdParams, refusals } from './schemas.js';
import { sourceFileRoutes } from './sources-files.js';

const tags = ['sources'];

// The reason the server log records behind a uniform answer (AppError.logDetails), if any.
const reasonOf = (error: AppError): string | null => {
  const reason = error.logDetails?.reason;
  return typeof reason === 'string' ? reason.slice(0, 500) : null;
};

/**
 * Sources (数据源) of the caller's organisation: registration, connection tests and schemas.
 * Metadata only: no route here reads a source's rows; they leave through query/ alone.
 */
export async function sourceRoutes(app: App, context: AppContext): Promise<void> {
  const { store, audit, sources: runtime } = context;

  const load = async (actor: Actor, id: string, action: 'source.read' | 'source.manage') => {
    const source = await getSource(store.db, id);
    authorize(actor, action, { orgId: source.orgId, noun: 'Source' });
    return source;
  };

  app.get(
    '/api/v1/sources',
    {
      schema: {
        tags,
        summary: 'List the caller’s organisation’s sources',
        querystring: PageQuerySchema.strict(),
        response: { 200: pageSchema(SourceSchema), ...refusals },
      },
    },
    async (request) => {
      const actor = authorize(request.actor, 'source.read');
      return listSources(store.db, actor.orgId, request.query);
    },
  );

  app.post(
    '/api/v1/sources',
    {
      schema: {
        tags,
        summary:
          'Register a PostgreSQL, MySQL/MariaDB or HTTP JSON source (credentials are stored encrypted)',
        body: CreateSourceSchema,
        response: { 201: SourceSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const actor = authorize(request.actor, 'source.manage');
      const orgId = request.body.orgId ?? actor.orgId;
      authorize(actor, 'source.manage', { orgId, noun: 'Organisation' });
      const created = await createSource(store.db, runtime, {
        ...request.body,
        orgId,
        createdBy: actor.kind === 'user' ? actor.userId : null,
      }).catch(async (error: unknown) => {
        // A steward aiming a source at an address the outbound policy refuses is worth an entry.
        if (error instanceof AppError && error.code === 'destination_not_allowed')
          await recordEvent(audit, request, 'source.refused', {
            orgId,
            kind: request.body.kind,
            code: error.code,
            reason: reasonOf(error),
          });
        throw error;
      });
      await recordEvent(audit, request, 'source.created', sourceFacts(created));
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/v1/sources/:id',
    {
      schema: { tags, summary: 'One source', params: IdParams, response: { 200: SourceSchema, ...refusals } },
    },
    async (request) => load(request.actor, request.params.id, 'source.read'),
  );

  app.patch(
    '/api/v1/sources/:id',
    {
      schema: {
        tags,
        summary: 'Change a source’s name, options or credentials (null removes a credential)',
        params: IdParams,
        body: UpdateSourceSchema,
        response: { 200: SourceSchema, ...refusals },
      },
    },
    async (request) => {
      await load(request.actor, request.params.id, 'source.manage');
      const updated = await updateSource(store.db, runtime, request.params.id, request.body);
      // Field names only: `password` says a credential changed, never what it became.
      await recordEvent(audit, request, 'source.updated', {
        ...sourceFacts(updated),
        fields: Object.keys(request.body).sort(),
      });
      return updated;
    },
  );

  app.delete(
    '/api/v1/sources/:id',
    {
      schema: {
        tags,
        summary: 'Delete a source',
        params: IdParams,
        response: { 204: z.null(), ...refusals },
      },
    },
    async (request, reply) => {
      const source = await load(request.actor, request.params.id, 'source.manage');
      await deleteSource(store.db, runtime, request.params.id);
      await recordEvent(audit, request, 'source.deleted', sourceFacts(source));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/sources/:id/test',
    {
      schema: {
        tags,
        summary:
          'Test the connection (502 source_unreachable, 503 source_busy, 504 source_timeout; 400 source_auth_failed, …)',
        params: IdParams,
        response: { 200: TestResultSchema, ...refusals },
      },
    },
    async (request) => {
      const source = await load(request.actor, request.params.id, 'source.manage');
      return testSource(store.db, runtime, request.params.id).catch(async (error: unknown) => {
        // The client hears one `source_unreachable` whatever happened; the auditor hears why,
        // so that a steward probing the network with connection tests shows in the log.
        if (error instanceof AppError)
          await recordEvent(audit, request, 'source.test_failed', {
            ...sourceFacts(source),
            code: error.code,
            reason: reasonOf(error),
          });
        throw error;
      });
    },
  );

  app.get(
    '/api/v1/sources/:id/schema',
    {
      schema: {
        tags,
        summary: 'Describe the source: tables, columns with normalised and native types, row estimates',
        params: IdParams,
        querystring: z.strictObject({ schema: z.string().min(1).max(128).optional() }),
        response: { 200: SourceDescriptionSchema, ...refusals },
      },
    },
    async (request) => {
      await load(request.actor, request.params.id, 'source.read');
      return describeSource(store.db, runtime, request.params.id, request.query);
    },
  );

  await sourceFileRoutes(app, context);
}
