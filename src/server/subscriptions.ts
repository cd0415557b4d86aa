import type { FastifyBaseLogger } from 'fastify';
import { startDeliveryLoop } from '../exchange/index.js';
import { describeError } from './fatal.js';
import type { Platform } from './open-platform.js';

// Often enough that a new subscription's changes start flowing soon; a tick is one small query.
const TICK_MS = 5000;

/**
 * Runs subscription delivery (docs/subscriptions.md): a capture/delivery loop per source with
 * subscriptions, picking up new ones without a restart. Returns how to stop it; stopping waits for
 * the loops to end and keeps the sources' slots and positions (a restart resumes there).
 */
export function startSubscriptionDelivery(platform: Platform, log: FastifyBaseLogger): () => Promise<void> {
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
  return () => loop.stop();
}
