import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.js';
import { outboundPolicyFromConfig } from '../net/index.js';
import {
  type AlertChange,
  type AlertPublisher,
  natsPublisher,
  WarningEngine,
  webhookSender,
} from '../warning/index.js';
import { describeError } from './fatal.js';
import type { Platform } from './open-platform.js';

/** The NATS publisher of alerts (HUITONG_WARNING_NATS_URL), one per process for the engine and the routes. */
export function warningPublisherFrom(config: Config): AlertPublisher | undefined {
  return config.HUITONG_WARNING_NATS_URL ? natsPublisher(config.HUITONG_WARNING_NATS_URL) : undefined;
}

/**
 * How soon after this process appends to the audit log the detectors run: appends within it go
 * to one evaluation, and an alert follows its entry within this and one evaluation's time.
 */
export const WARNING_NUDGE_MS = 200;

/**
 * Runs the early-warning detectors over the entries appended since the last evaluation
 * (docs/warning.md): WARNING_NUDGE_MS after this process appends, and every
 * HUITONG_WARNING_INTERVAL_SECONDS for what other processes append; posts each new alert to
 * HUITONG_WARNING_WEBHOOK_URL and publishes each new or grown one on HUITONG_WARNING_NATS_URL
 * when set. Several processes take turns on the cursor's lock.
 * Returns how to stop.
 */
export function startWarning(
  platform: Pick<Platform, 'store' | 'audit'>,
  config: Config,
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>,
  nats: AlertPublisher | undefined = warningPublisherFrom(config),
): () => void {
  const seconds = config.HUITONG_WARNING_INTERVAL_SECONDS;
  if (seconds === 0) return () => {};
  const url = config.HUITONG_WARNING_WEBHOOK_URL;
  const send = url ? webhookSender(outboundPolicyFromConfig(config), new URL(url)) : undefined;
  const failed = (what: string, id: string) => (error: unknown) =>
    log.warn({ alert: id, error: describeError(error, { stack: false }) }, `warning ${what} failed`);
  const publish = (change: AlertChange, alert: Parameters<NonNullable<typeof nats>['publish']>[1]) =>
    nats?.publish(change, alert).catch(failed('NATS publication', alert.id));
  const engine = new WarningEngine(platform.store.db, {
    audit: platform.audit,
    onAlert: async (alert) => {
      await send?.(alert).catch(failed('webhook', alert.id));
      await publish('opened', alert);
    },
    onGrouped: (alert) => publish('grouped', alert),
  });
  let running = false;
  let again = false;
  let nudge: NodeJS.Timeout | undefined;
  const evaluate = async (nudged: boolean): Promise<void> => {
    // An evaluation in flight may have read its batch before the entries that woke this one:
    // one more runs after it.
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const { alerts, skipped } = await engine.evaluate();
        if (alerts.length > 0) log.info({ alerts: alerts.length }, 'early-warning alerts raised');
        // Another process holds the cursor, and may have read its batch before these entries.
        if (skipped && nudged) wake();
      } while (again);
    } catch (error) {
      log.warn(
        { error: describeError(error, { stack: false }) },
        'early-warning evaluation failed; retrying',
      );
    } finally {
      running = false;
    }
  };
  const wake = () => {
    nudge ??= setTimeout(() => {
      nudge = undefined;
      void evaluate(true);
    }, WARNING_NUDGE_MS);
    nudge.unref();
  };
  const unsubscribe = platform.audit.onAppended(wake);
  const timer = setInterval(() => void evaluate(false), seconds * 1000);
  timer.unref();
  void evaluate(false);
  return () => {
    unsubscribe();
    clearTimeout(nudge);
    clearInterval(timer);
    void nats?.close();
  };
}
