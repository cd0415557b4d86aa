import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.js';
import { AppError, ERROR_CODES } from '../errors/index.js';
import type { OutboundPolicy } from '../net/index.js';
import type { Database } from '../store/index.js';
import type { FederationConfig, FederationNode } from './config-schema.js';
import { type PeerAnswer, peerRequest } from './peer-http.js';
import { type NodeSigner, signRequest, verifyResponse } from './signed-request.js';

/** What a consumer node needs to file and follow requests with its peers. */
export interface RemoteRequestContext {
  db: Kysely<Database>;
  audit: AuditLog;
  outbound: OutboundPolicy;
  signer: () => Promise<NodeSigner>;
  timeoutMs?: number;
}

/**
 * One signed exchange with a peer node: the body signed with this node's key (RFC 9421), the
 * answer's status checked, its signature checked as the provider's (bound to this request), and
 * its body parsed with the schema. Refusals keep the peer's code when it is one of ours.
 */
export async function signedExchange<S extends z.ZodType>(
  ctx: RemoteRequestContext,
  config: FederationConfig,
  peer: FederationNode,
  path: string,
  payload: unknown,
  expected: { status: number; schema: S },
): Promise<z.infer<S>> {
  const answer = await signedExchangeRaw(ctx, config, peer, path, payload, expected);
  const parsed = expected.schema.safeParse(safeJson(answer.body));
  if (!parsed.success) throw new AppError(502, 'peer_bad_answer', `Node ${peer.nodeId} answered garbage`);
  return parsed.data;
}

/**
 * The signed exchange whose answer is not JSON (an export's file): the answer as received once
 * its status and signature are checked, the signature covering the headers named in `covering`.
 */
export async function signedExchangeRaw(
  ctx: RemoteRequestContext,
  config: FederationConfig,
  peer: FederationNode,
  path: string,
  payload: unknown,
  expected: { status: number; covering?: string[] },
): Promise<PeerAnswer> {
  const url = new URL(path, peer.url);
  const body = Buffer.from(JSON.stringify(payload));
  const headers = await signRequest(await ctx.signer(), {
    method: 'POST',
    url: url.toString(),
    headers: { 'content-type': 'application/json' },
    body,
  });
  const answer = await peerRequest(ctx.outbound, url, {
    method: 'POST',
    headers,
    body,
    timeoutMs: ctx.timeoutMs ?? 10_000,
  }).catch((error: unknown) => {
    if (error instanceof AppError) throw error;
    throw new AppError(502, 'peer_unreachable', `Node ${peer.nodeId} cannot be reached`);
  });
  if (answer.status !== expected.status) throw refusalOf(peer.nodeId, answer.status, answer.body);
  await verifyResponse(
    answer,
    { method: 'POST', url: url.toString(), headers },
    { config, from: peer.nodeId, covering: expected.covering },
  ).catch(() => {
    throw new AppError(502, 'peer_bad_answer', `Node ${peer.nodeId}'s answer is not signed by it`);
  });
  return answer;
}

const KNOWN = new Set<string>(ERROR_CODES);
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** A peer's body as JSON, or undefined. */
export function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The most of a provider's refusal text passed on: enough for a filter's complaint, no more. */
const REFUSAL_TEXT_MAX = 300;

/**
 * A provider's refusal (no grant, quota, a bad filter…) reaches the caller with its code when it
 * is one of ours and a 4xx; anything else is the peer misbehaving. A refusal is not signed, so its
 * text goes on as the provider's words, one line, cut short (a Chinese client gets this node's own).
 */
export function refusalOf(nodeId: string, status: number, body: Buffer): AppError {
  const parsed = ErrorBody.safeParse(safeJson(body));
  const known = parsed.success && KNOWN.has(parsed.data.error.code);
  if (known && ((status >= 400 && status < 500) || status === 503)) {
    const text = parsed.data.error.message.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').slice(0, REFUSAL_TEXT_MAX);
    return new AppError(status, parsed.data.error.code as never, `Node ${nodeId}: ${text}`);
  }
  return new AppError(502, 'peer_bad_answer', `Node ${nodeId} answered ${status}`);
}
