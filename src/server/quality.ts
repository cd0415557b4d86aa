import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.js';
import { sweepQuality } from '../governance/index.js';
import { describeError } from './fatal.js';
import type { Platform } from './open-platform.js';

/**
 * Runs the data-quality rules of due resources every HUITONG_QUALITY_SWEEP_MINUTES (each
 * resource on its own schedule, daily by default; see governance/quality/sweep.ts, which tests
 * drive with their own `now`). A resource is claimed before it runs, so several processes run it
 * once. Returns how to stop it, and how to sweep at once (after the demo loads, so that its scores
 * show without waiting for the first interval).
 */
export function startQualitySweeps(
  platform: Platform,
  config: Config,
  log: FastifyBaseLogger,
): { stop: () => void; sweepNow: () => Promise<void> } {
  const minutes = config.HUITONG_QUALITY_SWEEP_MINUTES;
  if (minutes === 0) return { stop: () => {}, sweepNow: async () => {} };
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const { succeeded, failed } = await sweepQuality(platform.query);
      if (succeeded.length + failed.length > 0)
        log.info({ succeeded: succeeded.length, failed: failed.length }, 'quality sweep');
    } catch (error) {
      log.warn({ error: describeError(error, { stack: false }) }, 'quality sweep failed; retrying next time');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), minutes * 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer), sweepNow: sweep };
}
