import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { OutboundPolicy } from './policy.js';
import { pinnedLookup } from './socket.js';

/** Options of one outbound HTTP request. */
export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Aborts connecting and reading (a timeout). */
  signal?: AbortSignal;
}

/**
 * Sends one HTTP(S) request through the policy: the URL's host is resolved and checked, and the
 * connection goes to that address only (Host header and TLS servername keep the name). Redirects
 * are not followed: the caller gets the 3xx and decides (sources refuse them, so a header such
 * as Authorization never follows one and a redirect cannot lead past the policy).
 */
export async function outboundRequest(
  policy: OutboundPolicy,
  url: URL,
  options: OutboundRequest = {},
): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`unsupported protocol ${url.protocol}`);
  const secure = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  options.signal?.throwIfAborted();
  const checked = await policy.resolve(host, port);
  options.signal?.throwIfAborted();
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send({
      protocol: url.protocol,
      hostname: host,
      port,
      path: `${url.pathname}${url.search}`,
      method: options.method ?? 'GET',
      headers: options.headers,
      lookup: pinnedLookup(checked),
      signal: options.signal,
      // A fresh connection each time: a pooled one would skip the check above.
      agent: false,
      ...(url.username
        ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
        : {}),
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end(options.body);
  });
}
