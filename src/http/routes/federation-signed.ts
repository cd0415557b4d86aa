import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config/index.js';
import { loadNodeKey, type NodeRow, RECEIPT_HEADER, signResponse } from '../../federation/index.js';
import type { App } from '../types.js';

/** This node's key, read from the data directory once, on first use (a node that never federates never creates it). */
export function nodeKeyOnce(config: Config): () => ReturnType<typeof loadNodeKey> {
  let key: ReturnType<typeof loadNodeKey> | undefined;
  return () => {
    key ??= loadNodeKey(config.HUITONG_DATA_DIR);
    return key;
  };
}

/**
 * Registers routes that take requests signed by peer nodes: their JSON bodies are kept as the
 * bytes received, since the signature covers those bytes (RFC 9530 Content-Digest).
 */
export async function signedRoutes(app: App, register: (scoped: App) => void): Promise<void> {
  await app.register(async (scoped) => {
    scoped.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
      done(null, body),
    );
    register(scoped as App);
  });
}

/** A peer's request as its signature is checked: the target URI built from this node's own base URL (a proxy in front changes nothing signed). */
export function signedMessage(request: FastifyRequest, node: NodeRow) {
  return {
    method: request.method,
    targetUri: new URL(request.url, node.url).toString(),
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]),
    ),
    body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
  };
}

/** Answers a peer with JSON signed by this node, bound to the request it answers. */
export async function sendSigned(
  reply: FastifyReply,
  signer: { nodeId: string; key: Awaited<ReturnType<typeof loadNodeKey>>['key'] },
  request: { method: string; targetUri: string; headers: Record<string, string> },
  payload: unknown,
  status: 200 | 201 = 200,
) {
  const body = Buffer.from(JSON.stringify(payload));
  const headers = await signResponse(
    signer,
    { status, headers: { 'content-type': 'application/json' }, body },
    { method: request.method, url: request.targetUri, headers: request.headers },
  );
  // The signed bytes as they are: the serializer must not re-encode them.
  return reply
    .code(status)
    .headers(headers)
    .send(body as never);
}

/**
 * Answers a peer with a file signed by this node, bound to the request it answers: the file is
 * the body (its Content-Digest signed), the signed receipt a header the signature covers too.
 */
export async function sendSignedFile(
  reply: FastifyReply,
  signer: { nodeId: string; key: Awaited<ReturnType<typeof loadNodeKey>>['key'] },
  request: { method: string; targetUri: string; headers: Record<string, string> },
  file: { body: Buffer; contentType: string; receipt: string },
) {
  const headers = await signResponse(
    signer,
    {
      status: 200,
      headers: { 'content-type': file.contentType, [RECEIPT_HEADER]: file.receipt },
      body: file.body,
    },
    { method: request.method, url: request.targetUri, headers: request.headers },
    [RECEIPT_HEADER],
  );
  return reply
    .code(200)
    .headers(headers)
    .send(file.body as never);
}
