import { z } from 'zod';
import { NotFoundError } from '../../errors/index.js';
import {
  ApiKeySchema,
  ApplicationSchema,
  authorize,
  CreateApiKeySchema,
  CreateApplicationSchema,
  createApiKey,
  createApplication,
  getApiKey,
  getApplication,
  listApiKeys,
  listApplications,
  revokeApiKey,
  UpdateApplicationSchema,
  updateApplication,
} from '../../identity/index.js';
import { PageQuerySchema, pageSchema } from '../../store/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { IdParams, refusals } from './schemas.js';

const tags = ['applications'];

/** Applications (应用系统) of the caller's organisation and their API keys. */
export async function applicationRoutes(app: App, { store, audit, config }: AppContext): Promise<void> {
  const load = async (
    actor: Parameters<typeof authorize>[0],
    id: string,
    action: 'application.read' | 'application.manage',
  ) => {
    const application = await getApplication(store.db, id);
    authorize(actor, action, { orgId: application.orgId, noun: 'Application' });
    return application;
  };

  app.get(
    '/api/v1/applications',
    {
      schema: {
        tags,
        summary: 'List the caller’s organisation’s applications',
        querystring: PageQuerySchema.strict(),
        response: { 200: pageSchema(ApplicationSchema), ...refusals },
      },
    },
    async (request) => {
      const actor = authorize(request.actor, 'application.read');
      return listApplications(store.db, actor.orgId, request.query);
    },
  );

  app.post(
    '/api/v1/applications',
    {
      schema: {
        tags,
        summary: 'Register an application',
        body: CreateApplicationSchema,
        response: { 201: ApplicationSchema, ...refusals },
      },
    },
    async (request, reply) => {
      const actor = authorize(request.actor, 'application.manage');
      const orgId = request.body.orgId ?? actor.orgId;
      authorize(actor, 'application.manage', { orgId, noun: 'Organisation' });
      const created = await createApplication(store.db, { ...request.body, orgId });
      await recordEvent(audit, request, 'application.created', {
        applicationId: created.id,
        name: created.name,
      });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/v1/applications/:id',
    {
      schema: {
        tags,
        summary: 'One application',
        params: IdParams,
        response: { 200: ApplicationSchema, ...refusals },
      },
    },
    async (request) => load(request.actor, request.params.id, 'application.read'),
  );

  app.patch(
    '/api/v1/applications/:id',
    {
      schema: {
        tags,
        summary: 'Rename or re-describe an application',
        params: IdParams,
        body: UpdateApplicationSchema,
        response: { 200: ApplicationSchema, ...refusals },
      },
    },
    async (request) => {
      await load(request.actor, request.params.id, 'application.manage');
      return updateApplication(store.db, request.params.id, request.body);
    },
  );

  app.get(
    '/api/v1/applications/:id/keys',
    {
      schema: {
        tags,
        summary: 'List an application’s API keys (prefixes only)',
        params: IdParams,
        querystring: PageQuerySchema.strict(),
        response: { 200: pageSchema(ApiKeySchema), ...refusals },
      },
    },
    async (request) => {
      await load(request.actor, request.params.id, 'application.read');
      return listApiKeys(store.db, request.params.id, request.query);
    },
  );

  app.post(
    '/api/v1/applications/:id/keys',
    {
      schema: {
        tags,
        summary: 'Create an API key: the key is in this response only',
        params: IdParams,
        body: CreateApiKeySchema,
        response: { 201: z.object({ key: z.string(), apiKey: ApiKeySchema }), ...refusals },
      },
    },
    async (request, reply) => {
      const application = await load(request.actor, request.params.id, 'application.manage');
      const actor = request.actor;
      const created = await createApiKey(
        store.db,
        {
          applicationId: application.id,
          name: request.body.name,
          roles: request.body.roles,
          expiresAt: request.body.expiresAt,
          createdBy: actor.kind === 'user' ? actor.userId : null,
          maxLive: config.HUITONG_MAX_KEYS_PER_APPLICATION,
        },
        actor.kind === 'anonymous' ? [] : actor.roles,
      );
      await recordEvent(audit, request, 'api_key.created', {
        applicationId: application.id,
        keyId: created.apiKey.id,
        prefix: created.apiKey.prefix,
        roles: created.apiKey.roles,
        expiresAt: created.apiKey.expiresAt,
      });
      return reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.post(
    '/api/v1/applications/:id/keys/:keyId/revoke',
    {
      schema: {
        tags,
        summary: 'Revoke an API key (effective on the next request)',
        params: z.strictObject({ id: z.uuid(), keyId: z.uuid() }),
        response: { 200: ApiKeySchema, ...refusals },
      },
    },
    async (request) => {
      const application = await load(request.actor, request.params.id, 'application.manage');
      const key = await getApiKey(store.db, request.params.keyId);
      if (key.applicationId !== application.id) throw new NotFoundError('API key');
      const revoked = await revokeApiKey(store.db, key.id);
      await recordEvent(audit, request, 'api_key.revoked', { applicationId: application.id, keyId: key.id });
      return revoked;
    },
  );
}
