import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.js';
import { closeLastMonth, closePublishedDemands, sweepDeadlines } from '../governance/index.js';
import { describeError } from './fatal.js';
import type { Platform } from './open-platform.js';

/**
 * Sweeps deadlines every HUITONG_DEADLINE_SWEEP_MINUTES (reminders, escalations, and the close of
 * last month's assessment; see
 * governance/sweep.ts, which tests drive with their own `now`). Each is sent once however many
 * processes sweep. Returns how to stop it, and how to sweep at once (after the demo loads, say).
 */
export function startDeadlineSweeps(
  platform: Platform,
  config: Config,
  log: FastifyBaseLogger,
): { stop: () => void; sweepNow: () => Promise<void> } {
  const minutes = config.HUITONG_DEADLINE_SWEEP_MINUTES;
  if (minutes === 0) return { stop: () => {}, sweepNow: async () => {} };
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const { reminded, escalated, escalatedPlatform } = await sweepDeadlines(
        platform.store.db,
        platform.audit,
        {
          platformAfterWorkingDays: config.HUITONG_DEADLINE_PLATFORM_ESCALATION_DAYS,
        },
      );
      // Keeps last month's assessment as it stood at its close (a no-op once kept).
      await closeLastMonth(platform.store.db);
      if (reminded.length + escalated.length + escalatedPlatform.length > 0)
        log.info(
          {
            reminded: reminded.length,
            escalated: escalated.length,
            escalatedPlatform: escalatedPlatform.length,
          },
          'deadline sweep',
        );
      // Demands answered with a new catalog entry close once it is published (需求清单).
      const closed = await closePublishedDemands(platform.store.db, platform.audit);
      if (closed.length > 0) log.info({ closed: closed.length }, 'demands closed');
    } catch (error) {
      log.warn(
        { error: describeError(error, { stack: false }) },
        'deadline sweep failed; retrying next time',
      );
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), minutes * 60_000);
  timer.unref();
  void sweep();
  return { stop: () => clearInterval(timer), sweepNow: sweep };
}
