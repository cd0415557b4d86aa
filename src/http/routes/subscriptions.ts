import { z } from 'zod';
import {
  CreateSubscriptionSchema,
  createSubscription,
  deleteSubscription,
  EventsQuerySchema,
  getSubscription,
  listSubscriptions,
  pauseSubscription,
  pullEvents,
  SubscriptionViewSchema,
} from '../../exchange/index.js';
import type { App, AppContext } from '../types.js';
import { callerOf, send } from './query.js';
import { IdParams, refusals } from './schemas.js';

const tags = ['subscriptions'];
const BASE = '/api/v1/subscriptions';

const EventSchema = z.object({
  seq: z.number().int().describe('the sequence number to ask `after` next'),
  eventId: z.string().describe('stable across redeliveries: de-duplicate by it'),
  op: z.enum(['insert', 'update', 'delete']),
  key: z.record(z.string(), z.unknown()).describe('the granted key items as delivered (masked when masked)'),
  keyId: z.string().describe('identifies the row for this subscription, even when its key is not granted'),
  row: z.record(z.string(), z.unknown()).nullable().describe('null for a delete'),
  createdAt: z.string(),
});
const EventsPageSchema = z.object({
  subscriptionId: z.uuid(),
  events: z.array(EventSchema),
  next: z.number().int().describe('ask `after` this next'),
});

/**
 * Subscriptions (订阅, docs/subscriptions.md): a consumer application subscribes to a granted
 * resource and pulls its enforced changes. Creating one delivers the snapshot (logged as releases
 * of the subscription); each pull is a release logged under its request.
 */
export async function subscriptionRoutes(app: App, { query }: AppContext): Promise<void> {
  app.post(
    BASE,
    {
      schema: {
        tags,
        summary:
          'Subscribe your application (API key) to a granted resource: items within the grant, optional filter; the snapshot is prepared before this answers',
        body: CreateSubscriptionSchema,
        response: { 201: SubscriptionViewSchema, ...refusals },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createSubscription(query, request.actor, request.body)),
  );

  app.get(
    BASE,
    {
      schema: {
        tags,
        summary: 'Your organisation’s subscriptions, newest first',
        response: { 200: z.object({ items: z.array(SubscriptionViewSchema) }), ...refusals },
      },
    },
    async (request) => ({ items: await listSubscriptions(query.store.db, request.actor) }),
  );

  app.get(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'One subscription: status, pause reason, last delivery',
        params: IdParams,
        response: { 200: SubscriptionViewSchema, ...refusals },
      },
    },
    async (request) => getSubscription(query.store.db, request.actor, request.params.id),
  );

  app.post(
    `${BASE}/:id/pause`,
    {
      schema: {
        tags,
        summary: 'Pause a subscription: nothing more is delivered to it (subscribe again to resume)',
        params: IdParams,
        response: { 200: SubscriptionViewSchema, ...refusals },
      },
    },
    async (request) => pauseSubscription(query.store.db, request.actor, request.params.id),
  );

  app.delete(
    `${BASE}/:id`,
    {
      schema: {
        tags,
        summary: 'Delete a subscription and its pending events; the last one of a source drops its capture',
        params: IdParams,
        response: { 204: z.null(), ...refusals },
      },
    },
    async (request, reply) => {
      await deleteSubscription(query, request.actor, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    `${BASE}/:id/events`,
    {
      schema: {
        tags,
        summary:
          'Pull channel: the events after `after` (a sequence number), oldest first; the grant is decided afresh and the page logged as a release',
        params: IdParams,
        querystring: EventsQuerySchema,
        response: { 200: EventsPageSchema, ...refusals, 429: refusals[400], 503: refusals[400] },
      },
    },
    async (request, reply) =>
      send(reply, {
        kind: 'json',
        body: await pullEvents(query, callerOf(request), request.params.id, request.query),
      }),
  );
}
