import type { Actor } from '../identity/index.js';
import { auditActorOf, type QueryContext } from '../query/index.js';

/** The subscription events of the audit log (their releases are logged by query/, as every release). */
export type SubscriptionEventType =
  | 'subscription.created'
  | 'subscription.paused'
  | 'subscription.resumed'
  | 'subscription.deleted'
  | 'subscription.dead_lettered'
  | 'subscription.replayed';

/** Appends one subscription event: who, which subscription of which resource, and what of it. */
export async function logSubscription(
  ctx: QueryContext,
  type: SubscriptionEventType,
  actor: Actor | null,
  subscription: { id: string; resource_code: string; channel: unknown },
  data: Record<string, string | number | boolean | null> = {},
  requestId: string | null = null,
): Promise<void> {
  const channel = (
    typeof subscription.channel === 'string' ? JSON.parse(subscription.channel) : subscription.channel
  ) as { kind: string };
  await ctx.audit.append({
    type,
    actor: actor ? auditActorOf(actor) : { kind: 'system', id: 'subscription-delivery', orgId: null },
    requestId,
    resources: [subscription.resource_code],
    data: { subscriptionId: subscription.id, channel: channel.kind, ...data },
  });
}
