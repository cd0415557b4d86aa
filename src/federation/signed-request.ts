import { type KeyObject, randomBytes } from 'node:crypto';
import { httpbis, type Request, type Response, type VerifyingKey } from 'http-message-signatures';
import { parseDictionary } from 'structured-headers';
import { ed25519Sign, ed25519Verify, publicKeyFromRaw } from '../audit/index.js';
import { AppError } from '../errors/index.js';
import type { FederationConfig, FederationNode } from './config-schema.js';
import { contentDigest, digestMatches } from './content-digest.js';

/** The accepted clock difference between two nodes, either way (RFC 9421 `created`). */
export const SIGNATURE_WINDOW_SECONDS = 300;
const LABEL = 'huitong';
const REQUEST_FIELDS = ['@method', '@target-uri', 'content-digest'];
// A response covers the request's digest too: the target URI is the same for every exchange on a
// route (the cursor, the filter and the fields travel in the body), so without it a signed answer
// could be passed off as the answer to another request on the same route within the window.
const RESPONSE_FIELDS = [
  '@status',
  'content-digest',
  '"@method";req',
  '"@target-uri";req',
  '"content-digest";req',
];

/** A node's signing identity: its id (the `keyid` its peers look up in the configuration) and key. */
export interface NodeSigner {
  nodeId: string;
  key: KeyObject;
}

/** Where a receiver remembers the nonces it accepted (shared by the node's processes). */
export interface NonceCache {
  /** Records a nonce; false when this sender used it already (a replay). */
  remember(nodeId: string, nonce: string, seenAt: Date): Promise<boolean>;
}

/** An HTTP message as signed or checked: headers lower-cased, the body as sent. */
export interface SignedMessage {
  headers: Record<string, string>;
  body: Uint8Array;
}

const signingKey = (signer: NodeSigner) => ({
  id: signer.nodeId,
  alg: 'ed25519',
  sign: async (data: Buffer) => ed25519Sign(signer.key, data),
});

const lower = (headers: Record<string, string | string[]>) =>
  Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]),
  );

/**
 * Signs a node-to-node request (RFC 9421, Ed25519) over its method, target URI and the
 * `Content-Digest` (RFC 9530) of its body, with `created`, a fresh nonce and the node id as keyid.
 * Returns the headers to send (the given ones plus the digest and the signature fields).
 */
export async function signRequest(
  signer: NodeSigner,
  request: { method: string; url: string; headers?: Record<string, string>; body?: Uint8Array },
): Promise<Record<string, string>> {
  const body = request.body ?? new Uint8Array();
  const headers = { ...lower(request.headers ?? {}), 'content-digest': contentDigest(body) };
  const signed = await httpbis.signMessage(
    {
      key: signingKey(signer),
      name: LABEL,
      fields: REQUEST_FIELDS,
      params: ['created', 'nonce', 'keyid', 'alg'],
      paramValues: { nonce: randomBytes(16).toString('base64url') },
    },
    { method: request.method.toUpperCase(), url: request.url, headers },
  );
  return lower(signed.headers) as Record<string, string>;
}

/** The request a response answers, as both nodes see it: method, target and its body's digest. */
export interface AnsweredRequest {
  method: string;
  url: string;
  /** The request's headers; its `content-digest` is what binds the answer to it. */
  headers: Record<string, string>;
}

const requestPart = (request: AnsweredRequest) => {
  const digest = lower(request.headers)['content-digest'];
  if (!digest) throw refuse('federation_signature_invalid', 'The request has no Content-Digest');
  return { method: request.method.toUpperCase(), url: request.url, headers: { 'content-digest': digest } };
};

/**
 * Signs a response that carries data, bound to the request it answers (its method, target and
 * body digest); `covering` names headers of the response the signature covers too (an export's receipt).
 */
export async function signResponse(
  signer: NodeSigner,
  response: { status: number; headers?: Record<string, string>; body: Uint8Array },
  request: AnsweredRequest,
  covering: string[] = [],
): Promise<Record<string, string>> {
  const headers = { ...lower(response.headers ?? {}), 'content-digest': contentDigest(response.body) };
  const signed = await httpbis.signMessage(
    {
      key: signingKey(signer),
      name: LABEL,
      fields: [...RESPONSE_FIELDS, ...covering],
      params: ['created', 'keyid', 'alg'],
    },
    { status: response.status, headers },
    requestPart(request),
  );
  return lower(signed.headers) as Record<string, string>;
}

const refuse = (code: 'federation_signature_invalid' | 'federation_request_stale', message: string) =>
  new AppError(401, code, message);

/** The one signature a peer's message carries (a second label could smuggle an unchecked one in). */
function onlyLabel(headers: Record<string, string>): void {
  try {
    const inputs = parseDictionary(headers['signature-input'] ?? '');
    const signatures = parseDictionary(headers.signature ?? '');
    if (inputs.size === 1 && signatures.size === 1 && inputs.has(LABEL) && signatures.has(LABEL)) return;
  } catch {
    // malformed structured fields fall through to the refusal
  }
  throw refuse('federation_signature_invalid', 'The message must carry exactly one signature');
}

/**
 * The signature covers every component named, with its parameters: the library's own check
 * compares bare names only, so `"content-digest";req` would be met by the response's own digest.
 */
function coversAll(headers: Record<string, string>, fields: string[]): void {
  let covered: string[] = [];
  try {
    const input = parseDictionary(headers['signature-input'] ?? '').get(LABEL);
    if (input && Array.isArray(input[0]))
      covered = input[0].map(([name, params]) => `${name}${[...params.keys()].map((k) => `;${k}`).join('')}`);
  } catch {
    // malformed: nothing is covered
  }
  const missing = fields.map((f) => f.replaceAll('"', '')).filter((f) => !covered.includes(f));
  if (missing.length)
    throw refuse('federation_signature_invalid', `The signature does not cover ${missing.join(', ')}`);
}

/** The sending node, as the configuration lists it: known and active, or refused. */
export function activeNode(config: FederationConfig, nodeId: unknown): FederationNode {
  const node = config.nodes.find((n) => n.nodeId === nodeId);
  if (!node) throw new AppError(403, 'federation_node_unknown', 'The sending node is not in the federation');
  if (node.status !== 'active')
    throw new AppError(403, 'federation_node_not_active', `The sending node is ${node.status}`, {
      nodeId: node.nodeId,
      status: node.status,
    });
  return node;
}

function checkWindow(created: unknown, now: Date): void {
  if (!(created instanceof Date))
    throw refuse('federation_signature_invalid', 'The signature has no created time');
  if (Math.abs(created.getTime() - now.getTime()) > SIGNATURE_WINDOW_SECONDS * 1000)
    throw refuse('federation_request_stale', 'The signature was created outside the accepted window');
}

async function verified(
  message: Request | Response,
  request: Request | undefined,
  lookup: (params: Record<string, unknown>) => Promise<VerifyingKey>,
  requiredFields: string[],
  requiredParams: string[],
): Promise<void> {
  let ok: boolean | null;
  try {
    // One call for both shapes: a request alone, or a response with the request it answers.
    const verify = httpbis.verifyMessage as (c: unknown, m: unknown, r?: unknown) => Promise<boolean | null>;
    ok = await verify(
      {
        keyLookup: lookup as never,
        requiredFields,
        requiredParams,
        tolerance: SIGNATURE_WINDOW_SECONDS,
        maxAge: 2 * SIGNATURE_WINDOW_SECONDS,
      },
      message,
      request,
    );
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refuse('federation_signature_invalid', 'The signature does not verify');
  }
  if (ok !== true) throw refuse('federation_signature_invalid', 'The signature does not verify');
}

const keyOf = (
  node: FederationNode,
  after?: (params: Record<string, unknown>) => Promise<void>,
): VerifyingKey => ({
  id: node.nodeId,
  algs: ['ed25519'],
  verify: async (data, signature, params) => {
    if (!ed25519Verify(publicKeyFromRaw(Buffer.from(node.publicKey, 'base64')), data, signature))
      return false;
    await after?.(params as Record<string, unknown>);
    return true;
  },
});

/**
 * Checks a request from a peer node: one signature, by an active node of the configuration, over
 * the method, this node's own target URI and a digest that matches the body, created within
 * ±300 s, with a nonce never seen from that node. Returns the sender.
 */
export async function verifyRequest(
  request: { method: string; targetUri: string } & SignedMessage,
  context: { config: FederationConfig; nonces: NonceCache; now?: Date },
): Promise<FederationNode> {
  const now = context.now ?? new Date();
  const headers = request.headers;
  onlyLabel(headers);
  if (!digestMatches(headers['content-digest'], request.body))
    throw refuse('federation_signature_invalid', 'The body does not match its Content-Digest');
  let sender: FederationNode | undefined;
  await verified(
    { method: request.method.toUpperCase(), url: request.targetUri, headers },
    undefined,
    async (params) => {
      checkWindow(params.created, now);
      sender = activeNode(context.config, params.keyid);
      return keyOf(sender, async (p) => {
        if (typeof p.nonce !== 'string' || p.nonce.length < 16)
          throw refuse('federation_signature_invalid', 'The signature has no nonce');
        if (!(await context.nonces.remember(sender!.nodeId, p.nonce, now)))
          throw new AppError(401, 'federation_request_replayed', 'This request was already received');
      });
    },
    REQUEST_FIELDS,
    ['created', 'nonce', 'keyid'],
  );
  return sender as FederationNode;
}

/**
 * Checks a peer's signed response to a request this node sent: signed by the node it asked (and
 * active), bound to that request (method, target and body digest, as sent), its digest matching
 * the body received, and covering the
 * headers named in `covering` (an export's receipt).
 */
export async function verifyResponse(
  response: { status: number } & SignedMessage,
  request: AnsweredRequest,
  context: { config: FederationConfig; from: string; now?: Date; covering?: string[] },
): Promise<void> {
  const now = context.now ?? new Date();
  onlyLabel(response.headers);
  coversAll(response.headers, [...RESPONSE_FIELDS, ...(context.covering ?? [])]);
  if (!digestMatches(response.headers['content-digest'], response.body))
    throw refuse('federation_signature_invalid', 'The body does not match its Content-Digest');
  await verified(
    { status: response.status, headers: response.headers },
    requestPart(request),
    async (params) => {
      checkWindow(params.created, now);
      if (params.keyid !== context.from)
        throw refuse('federation_signature_invalid', 'The response is not signed by the node asked');
      return keyOf(activeNode(context.config, params.keyid));
    },
    ['@status', 'content-digest', ...(context.covering ?? [])],
    ['created', 'keyid'],
  );
}

/** A nonce cache in memory (one process); the store's cache serves several. */
export function memoryNonceCache(): NonceCache {
  const seen = new Map<string, number>();
  return {
    remember: async (nodeId, nonce, seenAt) => {
      const horizon = seenAt.getTime() - 2 * SIGNATURE_WINDOW_SECONDS * 1000;
      for (const [k, t] of seen) if (t < horizon) seen.delete(k);
      const key = `${nodeId} ${nonce}`;
      if (seen.has(key)) return false;
      seen.set(key, seenAt.getTime());
      return true;
    },
  };
}
