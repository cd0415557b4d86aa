import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/index.js';
import { outboundPolicyFromConfig } from '../net/index.js';
import { WarningEngine, webhookSender } from '../warning/index.js';
import { describeError } from './fatal.js';
import type { Platform } from './open-platform.js';

/**
 * Runs the early-warning detectors every HUITONG_WARNING_INTERVAL_SECONDS over the entries
 * appended since the last evaluation (docs/warning.md); posts each new alert to
 * HUITONG_WARNING_WEBHOOK_URL when set. Several processes take turns on the cursor's lock.
 * Returns how to stop.
 */
export function startWarning(platform: Platform, config: Config, log: FastifyBaseLogger): () => void {
  const seconds = config.HUITONG_WARNING_INTERVAL_SECONDS;
  if (seconds === 0) return () => {};
  const url = config.HUITONG_WARNING_WEBHOOK_URL;
  const send = url ? webhookSender(outboundPolicyFromConfig(config), new URL(url)) : undefined;
  const engine = new WarningEngine(platform.store.db, {
    audit: platform.audit,
    onAlert: send
      ? (alert) =>
          send(alert).catch((error: unknown) =>
            log.warn(
              { alert: alert.id, error: describeError(error, { stack: false }) },
              'warning webhook failed',
            ),
          )
      : undefined,
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
  return () => clearInterval(timer);
}
