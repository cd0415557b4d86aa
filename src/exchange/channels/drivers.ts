import type { Selectable } from 'kysely';
import type { OutboundPolicy } from '../../net/index.js';
import type { SubscriptionTable } from '../../store/index.js';
import type { ChannelView } from '../schemas.js';
import { type NatsChannel, natsChannel } from './nats.js';
import { stagingDriver } from './staging/index.js';
import { type ChannelDriver, ChannelError } from './types.js';
import { webhookDriver } from './webhook.js';

/** What the drivers need from the platform: the outbound policy, the NATS server, and how to open a sealed secret. */
export interface ChannelEnvironment {
  outbound: OutboundPolicy;
  /** HUITONG_SUBSCRIPTION_NATS_URL; a NATS subscription waits (retrying) while it is absent. */
  natsUrl?: string;
  openSecret(subscriptionId: string, sealed: string): string;
}

/** The drivers of one process: NATS subscriptions share one connection. */
export interface ChannelDrivers {
  driverFor(row: Selectable<SubscriptionTable>): ChannelDriver;
  close(): Promise<void>;
}

const unavailable = (code: string, message: string): ChannelDriver => ({
  deliver: () => Promise.reject(new ChannelError(code, message, true)),
  close: async () => undefined,
});

/** Makes the driver of each subscription's channel from its stored view and sealed secret. */
export function channelDrivers(env: ChannelEnvironment): ChannelDrivers {
  let nats: NatsChannel | undefined;
  return {
    driverFor(row) {
      const channel = (
        typeof row.channel === 'string' ? JSON.parse(row.channel) : row.channel
      ) as ChannelView;
      const secret = () => {
        if (!row.channel_secret) throw new ChannelError('channel_secret_missing', 'No secret stored', false);
        return env.openSecret(row.id, row.channel_secret);
      };
      switch (channel.kind) {
        case 'webhook':
          return webhookDriver({ policy: env.outbound, url: channel.url as string, secret: secret() });
        case 'nats':
          if (!env.natsUrl)
            return unavailable('nats_not_configured', 'HUITONG_SUBSCRIPTION_NATS_URL is not set');
          nats ??= natsChannel({ url: env.natsUrl });
          return nats.driverFor({
            subscriptionId: row.id,
            orgId: row.org_id,
            applicationId: row.application_id,
            resourceCode: row.resource_code,
          });
        case 'staging':
          return stagingDriver({
            policy: env.outbound,
            config: {
              dialect: channel.dialect as 'postgres' | 'mysql',
              host: channel.host as string,
              port: channel.port as number,
              database: channel.database as string,
              user: channel.user as string,
              password: secret(),
              table: channel.table as string,
              ...(channel.schema ? { schema: channel.schema } : {}),
              ...(channel.ssl ? { ssl: channel.ssl } : {}),
            },
          });
        default:
          return unavailable('channel_not_pushed', 'A pull subscription is not pushed');
      }
    },
    async close() {
      await nats?.close();
    },
  };
}
