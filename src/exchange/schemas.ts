import { z } from 'zod';
import { ConsumerFilterSchema } from '../query/index.js';
import { StagingConfigSchema, stagingViewFields } from './channels/staging/config.js';

/** Pull (拉取): the consumer asks for its events (GET …/changes), for consumers behind firewalls. */
export const PullChannelSchema = z.strictObject({ kind: z.literal('pull') });

/** Webhook (回调): each batch POSTed to the consumer's endpoint, signed as Standard Webhooks. */
export const WebhookChannelSchema = z.strictObject({
  kind: z.literal('webhook'),
  url: z.string().min(1).max(2000).describe('https (or http) endpoint; checked like every outbound address'),
});

/** NATS JetStream: a stream per consumer organisation, subject `huitong.<org>.<resource>`. */
export const NatsChannelSchema = z.strictObject({ kind: z.literal('nats') });

/**
 * Staging database (前置库): the consumer's own PostgreSQL or MySQL database; the platform creates
 * the table from the granted items, loads the snapshot in bulk, then applies changes in order.
 */
export const StagingChannelSchema = StagingConfigSchema.extend({ kind: z.literal('staging') });

/** How a subscription's events reach the consumer. */
export const ChannelSchema = z.discriminatedUnion('kind', [
  PullChannelSchema,
  WebhookChannelSchema,
  NatsChannelSchema,
  StagingChannelSchema,
]);
export type Channel = z.infer<typeof ChannelSchema>;

/** The channel as the API shows it: never a secret or a password. */
export const ChannelViewSchema = z.object({
  kind: z.enum(['pull', 'webhook', 'nats', 'staging']),
  url: z.string().optional(),
  subject: z.string().optional(),
  stream: z.string().optional(),
  ...stagingViewFields,
});
export type ChannelView = z.infer<typeof ChannelViewSchema>;

/** What of a granted resource a subscription or a schedule delivers: its fields and rows. */
export const resourceSelectionFields = {
  resourceCode: z.string().min(1).max(100),
  fields: z
    .array(z.string().min(1).max(100))
    .min(1)
    .max(1000)
    .optional()
    .describe('granted field names; all when absent'),
  filter: z.array(ConsumerFilterSchema).max(50).default([]).describe('conditions narrowing the grant’s rows'),
};

/** Body of POST /subscriptions. */
export const CreateSubscriptionSchema = z.strictObject({
  ...resourceSelectionFields,
  channel: ChannelSchema.default({ kind: 'pull' }),
});
export type CreateSubscriptionInput = z.input<typeof CreateSubscriptionSchema>;

/** The states of a subscription (订阅状态). */
export const SubscriptionStatusSchema = z.enum(['snapshot', 'active', 'paused']);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatusSchema>;

/** A subscription as the API shows it. */
export const SubscriptionViewSchema = z.object({
  id: z.uuid(),
  orgId: z.string(),
  applicationId: z.string(),
  resourceCode: z.string(),
  fields: z.array(z.string()).nullable(),
  filter: z.array(z.unknown()),
  channel: ChannelViewSchema,
  status: SubscriptionStatusSchema,
  reason: z.string().nullable().describe('why it is paused: a stable code (grant_revoked, …) or consumer'),
  createdAt: z.string(),
  lastDeliveryAt: z.string().nullable(),
  delivery: z
    .object({
      deliveredSeq: z.number().int().describe('the last sequence number the channel has (push channels)'),
      latestSeq: z.number().int().describe('the last sequence number stored for the subscription'),
      lag: z.number().int().describe('events stored and not yet taken by a push channel'),
      attempts: z.number().int().describe('failed attempts of the batch now in retry'),
      nextAttemptAt: z.string().nullable(),
      failingSince: z.string().nullable(),
      lastError: z.string().nullable().describe('the code of the last failure (webhook_status_500, …)'),
      deadLetters: z.number().int().describe('batches parked after 24 h of failures, not yet replayed'),
    })
    .describe('where a push channel stands'),
  secret: z
    .string()
    .optional()
    .describe('the webhook signing secret (whsec_…): shown once, in the answer to POST /subscriptions'),
});
export type SubscriptionView = z.infer<typeof SubscriptionViewSchema>;

/** Query of GET /subscriptions/{id}/changes (and …/events). */
export const EventsQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).default(0).describe('the last sequence number received'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(30)
    .default(0)
    .describe('long polling: seconds to wait for an event when none is there yet'),
});

/** A dead letter: a batch a push channel failed to take for 24 h, parked for replay. */
export const DeadLetterViewSchema = z.object({
  id: z.uuid(),
  subscriptionId: z.uuid(),
  firstSeq: z.number().int(),
  lastSeq: z.number().int(),
  events: z.number().int(),
  error: z.string(),
  attempts: z.number().int(),
  createdAt: z.string(),
  replayedAt: z.string().nullable(),
});
export type DeadLetterView = z.infer<typeof DeadLetterViewSchema>;
export type EventsQuery = z.infer<typeof EventsQuerySchema>;

/** A subscription as its provider sees it: who, how, in what state; never its events. */
export const SubscriberViewSchema = z.object({
  id: z.uuid(),
  orgId: z.string(),
  orgName: z.string(),
  applicationId: z.string(),
  channel: z.string(),
  status: z.string(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  lastDeliveryAt: z.string().nullable(),
});
export type SubscriberView = z.infer<typeof SubscriberViewSchema>;

/** Change capture of one source, for administrators (采集状态). */
export const CaptureSourceViewSchema = z.object({
  sourceId: z.string(),
  sourceName: z.string(),
  sourceKind: z.string(),
  subscriptions: z.number().int(),
  method: z.string().nullable(),
  prepared: z.boolean(),
  retainedBytes: z.number().nullable().describe('WAL the replication slot holds back (PostgreSQL)'),
  alert: z
    .boolean()
    .describe('retained WAL past HUITONG_CAPTURE_WAL_ALERT_BYTES, or the source cannot be asked'),
  error: z.string().nullable(),
  position: z.string().nullable(),
  positionUpdatedAt: z.string().nullable(),
});
export type CaptureSourceView = z.infer<typeof CaptureSourceViewSchema>;
