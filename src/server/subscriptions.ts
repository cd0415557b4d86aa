import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.js';
import { channelDrivers, startDeliveryLoop, startDispatcher } from '../exchange/index.js';
import { outboundPolicyFromConfig } from '../net/index.js';
import { openSubscriptionSecret } from '../query/index.js';
import { describeError } from './fatal.js';
import type { Platform } from './open-platform.js';

// Often enough that a new subscription's changes start flowing soon; a tick is one small query.
const TICK_MS = 5000;
// The push dispatcher is woken at once by this process's stored events; the tick finds other
// processes' events and retries that came due.
const DISPATCH_TICK_MS = 500;

/**
 * Runs subscription delivery (docs/subscriptions.md): a capture/delivery loop per source with
 * subscriptions, picking up new ones without a restart, and the dispatcher that sends push
 * channels' events (webhook, NATS, staging databases). Returns how to stop both; stopping waits
 * for the loops to end and keeps the sources' slots and positions (a restart resumes there).
 */
export function startSubscriptionDelivery(
  platform: Platform,
  config: Config,
  log: FastifyBaseLogger,
): () => Promise<void> {
  const loop = startDeliveryLoop(platform.query, {
    tickMs: TICK_MS,
    onError: (sourceId, error) =>
      log.warn(
        { sourceId, error: describeError(error, { stack: false }) },
        'subscription delivery stopped; retrying at the next tick',
      ),
  });
  void loop
    .tick()
    .catch((error: unknown) =>
      log.warn({ error: describeError(error, { stack: false }) }, 'subscription delivery did not start'),
    );
  const drivers = channelDrivers({
    outbound: outboundPolicyFromConfig(config),
    natsUrl: config.HUITONG_SUBSCRIPTION_NATS_URL,
    openSecret: (id, sealed) => openSubscriptionSecret(platform.query, id, sealed),
  });
  const dispatcher = startDispatcher(platform.query, {
    driverFor: drivers.driverFor,
    tickMs: DISPATCH_TICK_MS,
    onError: (subscriptionId, error) =>
      log.warn(
        { subscriptionId, error: describeError(error, { stack: false }) },
        'subscription push failed; retrying with backoff',
      ),
  });
  return async () => {
    await dispatcher.stop();
    await drivers.close();
    await loop.stop();
  };
}
