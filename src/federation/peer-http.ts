import type { IncomingMessage } from 'node:http';
import { AppError } from '../errors/index.js';
import { type OutboundPolicy, outboundRequest } from '../net/index.js';

/** A peer's answer: status, lower-cased headers and the whole body. */
export interface PeerAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The most a peer's answer may carry: answers are held whole (a signature and a receipt cover
 * the whole body), so a node bounds what a peer can make it hold.
 */
export const PEER_BODY_MAX_BYTES = 16 * 1024 * 1024;

async function readAll(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > PEER_BODY_MAX_BYTES) {
      response.destroy();
      // Reached, but misbehaving: not `peer_unreachable`, which would have it retried as down.
      throw new AppError(502, 'peer_bad_answer', 'The peer node answered more than 16 MiB');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * One HTTP exchange with a peer node through the outbound policy (a peer's address is checked
 * like any other: no loopback or private range unless HUITONG_OUTBOUND_ALLOW names it).
 */
export async function peerRequest(
  policy: OutboundPolicy,
  url: URL,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: Buffer; timeoutMs?: number } = {},
): Promise<PeerAnswer> {
  const response = await outboundRequest(policy, url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
    signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
  });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(response.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return { status: response.statusCode ?? 0, headers, body: await readAll(response) };
}
