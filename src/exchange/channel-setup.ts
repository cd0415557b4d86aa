import { BadRequestError, ConflictError } from '../errors/index.js';
import type { OutboundPolicy } from '../net/index.js';
import { type QueryContext, sealSubscriptionSecret } from '../query/index.js';
import { eventSubject, streamName } from './channels/nats.js';
import type { StagingConfig } from './channels/staging/index.js';
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
  natsOffered: boolean,
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
      if (!natsOffered)
        throw new ConflictError('channel_not_offered', 'This platform has no NATS server for subscriptions');
      return {
        view: {
          kind: 'nats',
          stream: streamName(subscription.orgId),
          subject: eventSubject(subscription.orgId, subscription.resourceCode),
        },
        sealedSecret: null,
      };
    case 'staging': {
      const { kind: _, password, ...config } = channel;
      checkStagingAddress(outbound, config);
      return {
        view: { kind: 'staging', ...config },
        sealedSecret: sealSubscriptionSecret(ctx, subscription.id, password),
      };
    }
  }
}

// The staging database is the consumer's address: an IP literal the outbound policy refuses is
// refused at once (host names are checked when the platform connects, as for sources).
function checkStagingAddress(outbound: OutboundPolicy, config: Omit<StagingConfig, 'password'>) {
  if (outbound.refusesLiteral(config.host, config.port) === null) return;
  throw new BadRequestError(
    'destination_not_allowed',
    'The platform does not connect to loopback, private, link-local or cloud metadata addresses unless its operator allows them (HUITONG_OUTBOUND_ALLOW)',
    { field: 'channel.host' },
  );
}
