import { type OutboundPolicy, outboundRequest } from '../net/index.js';
import type { RaisedAlert } from './raise.js';

/**
 * Posts each new alert as JSON to HUITONG_WARNING_WEBHOOK_URL, through the outbound policy (a
 * private address only when HUITONG_OUTBOUND_ALLOW names it). Best effort: a webhook that is down
 * loses the call, never the alert, which stays in the console.
 */
export function webhookSender(policy: OutboundPolicy, url: URL, timeoutMs = 5000) {
  return async (alert: RaisedAlert): Promise<void> => {
    const body = JSON.stringify({ kind: 'huitong.warning.alert', alert });
    const response = await outboundRequest(policy, url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    response.resume();
    if ((response.statusCode ?? 0) >= 400) throw new Error(`webhook answered ${response.statusCode}`);
  };
}
