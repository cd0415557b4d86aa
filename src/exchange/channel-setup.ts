import type { OutboundPolicy } from '../net/index.js';
import { type QueryContext, sealSubscriptionSecret } from '../query/index.js';
import { natsStreamName, natsSubject } from './channels/nats.js';
import { generateWebhookSecret, validateWebhookUrl } from './channels/webhook.js';
import type { Channel, ChannelView } from './schemas.js';

/** What a new subscription stores of its channel: the view (no secret), the sealed secret, and the secret to show once. */
export interface ChannelSetup {
  view: ChannelView;
  sealedSecret: string | null;
  shownSecret?: string;
}

/**
 * Checks a subscription's channel and prepares what is stored of it: a webhook's address is checked
 * like any outbound address and gets a signing secret (shown once); a staging database's password
 * is sealed; NATS names the organisation's stream and the subject.
 */
export function setUpChannel(
  ctx: QueryContext,
  outbound: OutboundPolicy,
  subscription: { id: string; orgId: string; resourceCode: string },
  channel: Channel,
): ChannelSetup {
  switch (channel.kind) {
    case 'pull':
      return { view: { kind: 'pull' }, sealedSecret: null };
    case 'webhook': {
      validateWebhookUrl(outbound, channel.url);
      const secret = generateWebhookSecret();
      return {
        view: { kind: 'webhook', url: channel.url },
        sealedSecret: sealSubscriptionSecret(ctx, subscription.id, secret),
        shownSecret: secret,
      };
    }
    case 'nats':
      return {
        view: {
          kind: 'nats',
          stream: natsStreamName(subscription.orgId),
          subject: natsSubject(subscription.orgId, subscription.resourceCode),
        },
        sealedSecret: null,
      };
  }
}
