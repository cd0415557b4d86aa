import { connect, type NatsConnection } from 'nats';
import type { GroupedAlert, RaisedAlert } from './raise.js';
import type { AlertView } from './schemas.js';

/**
 * What happened to an alert: opened by a finding, grown by findings grouped into it, or moved on
 * by a security officer (acknowledged, assigned, resolved, its automatic response undone).
 */
export type AlertChange = 'opened' | 'grouped' | 'acknowledged' | 'assigned' | 'resolved' | 'response_undone';

/** The subject an alert of a severity is published on: `huitong.warning.<severity>`. */
export function alertSubject(severity: string, prefix = 'huitong.warning'): string {
  return `${prefix}.${severity}`;
}

/** Publishes alerts on NATS; `close` drains the connection. */
export interface AlertPublisher {
  publish(change: AlertChange, alert: RaisedAlert | GroupedAlert | AlertView): Promise<void>;
  close(): Promise<void>;
}

/**
 * Publishes each alert's changes on NATS (HUITONG_WARNING_NATS_URL) as JSON
 * `{"kind":"huitong.warning.alert","change":…,"alert":{…}}` on `huitong.warning.<severity>`, so a
 * security operations system subscribes to the severities it cares about (`huitong.warning.>` for
 * all; a JetStream stream on that subject keeps them). The connection is opened at the first
 * alert and reconnects by itself; a publish is flushed before it returns, so a failure is seen
 * (and logged by the caller, the alert staying in the store).
 */
export function natsPublisher(url: string, prefix = 'huitong.warning'): AlertPublisher {
  let connection: Promise<NatsConnection> | undefined;
  const open = () => {
    connection ??= connect({ servers: url, name: 'huitong-warning', maxReconnectAttempts: -1 }).catch(
      (error: unknown) => {
        connection = undefined;
        throw error;
      },
    );
    return connection;
  };
  return {
    async publish(change, alert) {
      const nc = await open();
      const body = JSON.stringify({ kind: 'huitong.warning.alert', change, alert: withoutResponse(alert) });
      nc.publish(alertSubject(alert.severity, prefix), new TextEncoder().encode(body));
      await nc.flush();
    },
    async close() {
      const nc = await connection?.catch(() => undefined);
      connection = undefined;
      await nc?.drain();
    },
  };
}

/** The alert as published: what a subscriber needs, not the response the engine plans to take. */
function withoutResponse(alert: RaisedAlert | GroupedAlert | AlertView) {
  if ('status' in alert) return alert;
  const { response: _planned, ...rest } = alert as RaisedAlert;
  return rest;
}
