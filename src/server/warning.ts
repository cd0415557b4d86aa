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
 * Runs the early-warning detectors every HUITONG_WARNING_INTERVAL_SECONDS over the entries
 * appended since the last evaluation (docs/warning.md); posts each new alert to
 * HUITONG_WARNING_WEBHOOK_URL and publishes each new or grown one on HUITONG_WARNING_NATS_URL
 * when set. Several processes take turns on the cursor's lock.
 * Returns how to stop.
 */
export function startWarning(
  platform: Platform,
  config: Config,
  log: FastifyBaseLogger,
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
  const evaluate = async () => {
    try {
      const { alerts } = await engine.evaluate();
      if (alerts.length > 0) log.info({ alerts: alerts.length }, 'early-warning alerts raised');
    } catch (error) {
      log.warn(
        { error: describeError(error, { stack: false }) },
        'early-warning evaluation failed; retrying',
      );
    }
  };
  const timer = setInterval(() => void evaluate(), seconds * 1000);
  timer.unref();
  void evaluate();
  return () => {
    clearInterval(timer);
    void nats?.close();
  };
}
