import type { OutboundPolicy } from '../net/index.js';
import { sourceError } from './errors.js';

/**
 * Refuses, when a source is registered or changed, a destination the outbound policy refuses
 * without DNS: an IP address, in any spelling, that is loopback, private, link-local, metadata
 * or otherwise not public, unless HUITONG_OUTBOUND_ALLOW names it. This answer depends on the
 * input and the operator's setting alone, so it tells nothing about the network. Host names
 * are checked when the platform connects (their addresses can change), and a refusal then is
 * the uniform `source_unreachable`.
 */
export function checkDestination(
  outbound: OutboundPolicy,
  kind: string,
  config: Record<string, unknown>,
): void {
  let host: string;
  let port: number;
  let field: string;
  if (kind === 'http_json') {
    const url = new URL(String(config.url));
    host = url.hostname;
    port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    field = 'url';
  } else if (kind === 'postgres' || kind === 'mysql') {
    host = String(config.host);
    port = Number(config.port);
    field = 'host';
  } else {
    return;
  }
  const refused = outbound.refusesLiteral(host, port);
  if (refused === null) return;
  const error = sourceError(
    'destination_not_allowed',
    'The platform does not connect to loopback, private, link-local or cloud metadata addresses unless its operator allows them (HUITONG_OUTBOUND_ALLOW)',
    { field },
  );
  error.logDetails = { reason: refused };
  throw error;
}
