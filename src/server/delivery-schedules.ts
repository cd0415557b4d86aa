import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.js';
import { startScheduleRunner } from '../exchange/index.js';
import { outboundPolicyFromConfig } from '../net/index.js';
import { describeError } from './fatal.js';
import type { Platform } from './open-platform.js';

// Cron schedules fire at minutes; a tick is one small query for due schedules.
const TICK_MS = 30_000;

/**
 * Runs due delivery schedules (docs/subscriptions.md, scheduled delivery): every 30 s this
 * process takes the schedules due (each under a lease, so that of several processes one runs
 * each occurrence) and runs their full exports. Returns how to stop, waiting for the run in progress.
 */
export function startDeliverySchedules(
  platform: Platform,
  config: Config,
  log: FastifyBaseLogger,
): () => Promise<void> {
  const runner = startScheduleRunner(
    platform.query,
    { outbound: outboundPolicyFromConfig(config), dataDir: config.HUITONG_DATA_DIR },
    {
      tickMs: TICK_MS,
      onError: (error) =>
        log.warn(
          { error: describeError(error, { stack: false }) },
          'delivery schedules: tick failed; retrying',
        ),
    },
  );
  return () => runner.stop();
}
