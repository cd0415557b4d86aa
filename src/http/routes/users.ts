import { z } from 'zod';
import {
  authorize,
  CreateUserSchema,
  createUser,
  getUser,
  listUsers,
  UpdateUserSchema,
  UserSchema,
  updateUser,
} from '../../identity/index.js';
import { PageQuerySchema, pageSchema } from '../../store/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { IdParams, refusals } from './schemas.js';

const tags = ['users'];

/** Users: organisation administrators manage their own organisation's, the platform administrator everyone's. */
export async function userRoutes(app: App, { store, audit }: AppContext): Promise<void> {
  app.get(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'List users (of one organisation; the caller’s own by default)',
        querystring: PageQuerySchema.extend({ orgId: z.uuid().optional() }).strict(),
        response: { 200: pageSchema(UserSchema), ...refusals },
      },
    },
    async (request) => {
      const { orgId, ...page } = request.query;
      const actor = request.actor;
      const target = orgId ?? (actor.kind === 'anonymous' ? undefined : actor.orgId);
      authorize(actor, 'user.read', { orgId: target, noun: 'Organisation' });
      return listUsers(store.db, page, { orgId: target });
    },
  );

  app.post(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'Create a user',
        body: CreateUserSchema,
        response: { 201: UserSchema, ...refusals },
      },
    },
    async (request, reply) => {
      authorize(request.actor, 'user.create', { orgId: request.body.orgId, noun: 'Organisation' });
      authorize(request.actor, 'role.assign', { roles: request.body.roles });
      // 等保: a password the administrator chose is the holder's to change at the first sign-in.
      const mustChangePassword = request.body.mustChangePassword ?? true;
      const created = await createUser(store.db, { ...request.body, mustChangePassword });
      await recordEvent(audit, request, 'user.created', {
        userId: created.id,
        orgId: created.orgId,
        roles: created.roles,
      });
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/api/v1/users/:id',
    { schema: { tags, summary: 'One user', params: IdParams, response: { 200: UserSchema, ...refusals } } },
    async (request) => {
      const user = await getUser(store.db, request.params.id);
      const actor = request.actor;
      if (!(actor.kind === 'user' && actor.userId === user.id)) {
        authorize(actor, 'user.read', { orgId: user.orgId, noun: 'User' });
      }
      return user;
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      schema: {
        tags,
        summary: 'Change a user (roles, name, e-mail, password, disabled)',
        params: IdParams,
        body: UpdateUserSchema,
        response: { 200: UserSchema, ...refusals },
      },
    },
    async (request) => {
      const user = await getUser(store.db, request.params.id);
      authorize(request.actor, 'user.update', { orgId: user.orgId, noun: 'User' });
      if (request.body.roles) authorize(request.actor, 'role.assign', { roles: request.body.roles });
      // A password set for someone else (a reset) is theirs to change at the next sign-in.
      const own = request.actor.kind === 'user' && request.actor.userId === user.id;
      const reset = request.body.password !== undefined && !own;
      const updated = await updateUser(store.db, user.id, {
        ...request.body,
        ...(reset && { mustChangePassword: request.body.mustChangePassword ?? true }),
      });
      const fields = Object.keys(request.body);
      await recordEvent(audit, request, 'user.updated', {
        userId: user.id,
        fields,
        roles: updated.roles,
        disabled: updated.disabled,
      });
      return updated;
    },
  );
}
