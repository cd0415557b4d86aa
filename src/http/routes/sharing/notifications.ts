import { z } from 'zod';
import { listNotifications, markNotificationRead, NotificationSchema } from '../../../sharing/index.js';
import { PageQuerySchema, pageSchema } from '../../../store/index.js';
import type { App, AppContext } from '../../types.js';
import { IdParams, refusals } from '../schemas.js';

const tags = ['sharing: notifications'];
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Notifications: decisions for applicants, new requests for reviewers, grant changes for holders. */
export async function notificationRoutes(app: App, { store }: AppContext): Promise<void> {
  app.get(
    '/api/v1/notifications',
    {
      schema: {
        tags,
        summary: 'Your notifications, and those to a role you hold in your organisation',
        querystring: PageQuerySchema.extend({ unread: flag.optional() }).strict(),
        response: { 200: pageSchema(NotificationSchema), ...refusals },
      },
    },
    async (request) => listNotifications(store.db, request.actor, request.query),
  );

  app.post(
    '/api/v1/notifications/:id/read',
    {
      schema: {
        tags,
        summary: 'Mark a notification read',
        params: IdParams,
        response: { 200: NotificationSchema, ...refusals },
      },
    },
    async (request) => markNotificationRead(store.db, request.actor, request.params.id),
  );
}
