import { z } from 'zod';
import {
  authorize,
  CreateOrganizationSchema,
  createOrganization,
  getOrganization,
  listOrganizations,
  OrganizationKindSchema,
  OrganizationSchema,
  UpdateOrganizationSchema,
  updateOrganization,
} from '../../identity/index.js';
import { PageQuerySchema, pageSchema } from '../../store/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { IdParams, refusals } from './schemas.js';

const tags = ['organizations'];

/** Member organisations: a directory every member can read; the platform administrator registers them. */
export async function organizationRoutes(app: App, { store, audit }: AppContext): Promise<void> {
  app.get(
    '/api/v1/organizations',
    {
      schema: {
        tags,
        summary: 'List member organisations',
        querystring: PageQuerySchema.extend({
          kind: OrganizationKindSchema.optional(),
          region: z
            .string()
            .regex(/^\d{2,6}$/)
            .optional()
            .describe('a GB/T 2260 code prefix, e.g. 35 or 3501'),
          parentId: z.uuid().optional(),
        }).strict(),
        response: { 200: pageSchema(OrganizationSchema), ...refusals },
      },
    },
    async (request) => {
      authorize(request.actor, 'organization.read');
      const { kind, region, parentId, ...page } = request.query;
      return listOrganizations(store.db, page, { kind, regionPrefix: region, parentId });
    },
  );

  app.post(
    '/api/v1/organizations',
    {
      schema: {
        tags,
        summary: 'Register an organisation',
        body: CreateOrganizationSchema,
        response: { 201: OrganizationSchema, ...refusals },
      },
    },
    async (request, reply) => {
      authorize(request.actor, 'organization.create');
      const created = await createOrganization(store.db, request.body);
      await recordEvent(audit, request, 'organization.created', { orgId: created.id, name: created.name });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/v1/organizations/:id',
    {
      schema: {
        tags,
        summary: 'One organisation',
        params: IdParams,
        response: { 200: OrganizationSchema, ...refusals },
      },
    },
    async (request) => {
      authorize(request.actor, 'organization.read');
      return getOrganization(store.db, request.params.id);
    },
  );

  app.patch(
    '/api/v1/organizations/:id',
    {
      schema: {
        tags,
        summary: 'Change an organisation',
        params: IdParams,
        body: UpdateOrganizationSchema,
        response: { 200: OrganizationSchema, ...refusals },
      },
    },
    async (request) => {
      await getOrganization(store.db, request.params.id);
      authorize(request.actor, 'organization.update', { orgId: request.params.id, noun: 'Organisation' });
      const updated = await updateOrganization(store.db, request.params.id, request.body);
      await recordEvent(audit, request, 'organization.updated', {
        orgId: updated.id,
        fields: Object.keys(request.body),
      });
      return updated;
    },
  );
}
