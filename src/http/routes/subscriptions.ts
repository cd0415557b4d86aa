import { z } from 'zod';
import {
  CaptureSourceViewSchema,
  type ChannelDrivers,
  CreateSubscriptionSchema,
  captureOverview,
  channelDrivers,
  createSubscription,
  DeadLetterViewSchema,
  deleteSubscription,
  EventsQuerySchema,
  getSubscription,
  listDeadLetters,
  listSubscribers,
  listSubscriptions,
  pauseSubscription,
  pullEvents,
  replayDeadLetter,
  resumeSubscription,
  SubscriberViewSchema,
  SubscriptionViewSchema,
} from '../../exchange/index.js';
import { outboundPolicyFromConfig } from '../../net/index.js';
import { openSubscriptionSecret } from '../../query/index.js';
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
export async function subscriptionRoutes(app: App, { query, config }: AppContext): Promise<void> {
  const outbound = outboundPolicyFromConfig(config);
  // Replays send at once through the subscription's channel (the dispatcher sends the rest).
  let drivers: ChannelDrivers | undefined;
  const driverFor: ChannelDrivers['driverFor'] = (row) => {
    drivers ??= channelDrivers({
      outbound,
      natsUrl: config.HUITONG_SUBSCRIPTION_NATS_URL,
      openSecret: (id, sealed) => openSubscriptionSecret(query, id, sealed),
    });
    return drivers.driverFor(row);
  };
  app.addHook('onClose', async () => drivers?.close());

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
      reply.code(201).send(
        await createSubscription(query, request.actor, request.body, {
          outbound,
          natsOffered: config.HUITONG_SUBSCRIPTION_NATS_URL !== undefined,
          requestId: callerOf(request).requestId,
        }),
      ),
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
        summary: 'Pause a subscription: nothing more is delivered to it until it is resumed',
        params: IdParams,
        response: { 200: SubscriptionViewSchema, ...refusals },
      },
    },
    async (request) =>
      pauseSubscription(query, request.actor, request.params.id, callerOf(request).requestId),
  );

  app.post(
    `${BASE}/:id/resume`,
    {
      schema: {
        tags,
        summary:
          'Resume a paused subscription: a new snapshot (held rows as updates, new ones as inserts, gone ones as deletes), then changes again',
        params: IdParams,
        response: { 200: SubscriptionViewSchema, ...refusals },
      },
    },
    async (request) =>
      resumeSubscription(query, request.actor, request.params.id, callerOf(request).requestId),
  );

  app.get(
    `${BASE}/:id/dead-letters`,
    {
      schema: {
        tags,
        summary: 'Batches a push channel failed to take for 24 h, newest first',
        params: IdParams,
        response: { 200: z.object({ items: z.array(DeadLetterViewSchema) }), ...refusals },
      },
    },
    async (request) => ({ items: await listDeadLetters(query.store.db, request.actor, request.params.id) }),
  );

  app.post(
    `${BASE}/:id/dead-letters/:letterId/replay`,
    {
      schema: {
        tags,
        summary:
          'Send a dead letter’s events again now, with their original event ids (released afresh); 502 when the channel refuses',
        params: z.object({ id: z.uuid(), letterId: z.uuid() }),
        response: { 200: DeadLetterViewSchema, ...refusals, 502: refusals[400] },
      },
    },
    async (request) =>
      replayDeadLetter(
        query,
        request.actor,
        request.params.id,
        request.params.letterId,
        driverFor,
        callerOf(request).requestId,
      ),
  );

  app.get(
    '/api/v1/resources/:code/subscribers',
    {
      schema: {
        tags,
        summary: 'Who subscribes to one of your resources (provider’s stewards and administrators)',
        params: z.object({ code: z.string().min(1).max(100) }),
        response: { 200: z.object({ items: z.array(SubscriberViewSchema) }), ...refusals },
      },
    },
    async (request) => ({ items: await listSubscribers(query.store.db, request.actor, request.params.code) }),
  );

  app.get(
    '/api/v1/capture/sources',
    {
      schema: {
        tags,
        summary:
          'Change capture per source with subscriptions (method, slot, retained WAL, position), with an alert past the threshold',
        response: { 200: z.object({ items: z.array(CaptureSourceViewSchema) }), ...refusals },
      },
    },
    async (request) => ({
      items: await captureOverview(query, request.actor, config.HUITONG_CAPTURE_WAL_ALERT_BYTES),
    }),
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
      await deleteSubscription(query, request.actor, request.params.id, callerOf(request).requestId);
      return reply.code(204).send(null);
    },
  );

  for (const path of [`${BASE}/:id/changes`, `${BASE}/:id/events`])
    app.get(
      path,
      {
        schema: {
          tags,
          summary:
            'Pull channel: the events after `after` (a sequence number), oldest first, waiting up to `wait` seconds for one (long polling); the grant is decided afresh and the page logged as a release',
          params: IdParams,
          querystring: EventsQuerySchema,
          response: { 200: EventsPageSchema, ...refusals, 429: refusals[400], 503: refusals[400] },
        },
      },
      async (request, reply) => {
        // A client that goes away ends its long poll.
        const gone = new AbortController();
        request.raw.once('close', () => gone.abort());
        return send(reply, {
          kind: 'json',
          body: await pullEvents(query, callerOf(request), request.params.id, request.query, gone.signal),
        });
      },
    );
}
