import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { AuditLog } from '../audit/index.js';
import { AppError, ERROR_CODES } from '../errors/index.js';
import type { OutboundPolicy } from '../net/index.js';
import type { Database } from '../store/index.js';
import type { FederationConfig, FederationNode } from './config-schema.js';
import { peerRequest } from './peer-http.js';
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
  }).catch(() => {
    throw new AppError(502, 'peer_unreachable', `Node ${peer.nodeId} cannot be reached`);
  });
  if (answer.status !== expected.status) throw refusalOf(peer.nodeId, answer.status, answer.body);
  await verifyResponse(answer, { method: 'POST', url: url.toString() }, { config, from: peer.nodeId }).catch(
    () => {
      throw new AppError(502, 'peer_bad_answer', `Node ${peer.nodeId}'s answer is not signed by it`);
    },
  );
  const parsed = expected.schema.safeParse(safeJson(answer.body));
  if (!parsed.success) throw new AppError(502, 'peer_bad_answer', `Node ${peer.nodeId} answered garbage`);
  return parsed.data;
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

/**
 * A provider's refusal (no grant, quota, a bad filter…) reaches the caller with its code when it
 * is one of ours and a 4xx; anything else is the peer misbehaving.
 */
export function refusalOf(nodeId: string, status: number, body: Buffer): AppError {
  const parsed = ErrorBody.safeParse(safeJson(body));
  if (parsed.success && status >= 400 && status < 500 && KNOWN.has(parsed.data.error.code))
    return new AppError(status, parsed.data.error.code as never, parsed.data.error.message);
  if (parsed.success && status === 503 && KNOWN.has(parsed.data.error.code))
    return new AppError(503, parsed.data.error.code as never, parsed.data.error.message);
  return new AppError(502, 'peer_bad_answer', `Node ${nodeId} answered ${status}`);
}
