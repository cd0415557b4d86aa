import { z } from 'zod';
import { ConsumerFilterSchema } from '../query/index.js';

/**
 * How a subscription's events reach the consumer. Pull: the consumer asks for them (GET …/events).
 * One kind today, so one object (a one-member union is a lint error in the OpenAPI document); it
 * becomes a discriminated union on `kind` with the push channels.
 */
export const ChannelSchema = z.strictObject({ kind: z.literal('pull') });
export type Channel = z.infer<typeof ChannelSchema>;

/** Body of POST /subscriptions. */
export const CreateSubscriptionSchema = z.strictObject({
  resourceCode: z.string().min(1).max(100),
  fields: z
    .array(z.string().min(1).max(100))
    .min(1)
    .max(1000)
    .optional()
    .describe('granted field names; all when absent'),
  filter: z.array(ConsumerFilterSchema).max(50).default([]).describe('conditions narrowing the grant’s rows'),
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
  channel: ChannelSchema,
  status: SubscriptionStatusSchema,
  reason: z.string().nullable().describe('why it is paused: a stable code (grant_revoked, …) or consumer'),
  createdAt: z.string(),
  lastDeliveryAt: z.string().nullable(),
});
export type SubscriptionView = z.infer<typeof SubscriptionViewSchema>;

/** Query of GET /subscriptions/{id}/events. */
export const EventsQuerySchema = z.strictObject({
  after: z.coerce.number().int().min(0).default(0).describe('the last sequence number received'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type EventsQuery = z.infer<typeof EventsQuerySchema>;
