import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors/index.js';
import {
  activeNode,
  assertConfigCurrent,
  exportRemoteRows,
  type FederationNode,
  type PeerReadContext,
  PeerRowsAnswerSchema,
  PeerVerifyAnswerSchema,
  RemoteReadQuerySchema,
  readHeldConfig,
  readRemoteRows,
  receiptHeaderValue,
  requireNode,
  servePeerExport,
  servePeerRows,
  servePeerVerify,
  storeNonceCache,
  verifyRemoteClaim,
  verifyRequest,
} from '../../federation/index.js';
import { VerifyClaimSchema } from '../../query/index.js';
import type { App, AppContext } from '../types.js';
import { nodeKeyOnce, sendSigned, sendSignedFile, signedMessage, signedRoutes } from './federation-signed.js';
import { RowsPage } from './query.js';
import { peerReadContext } from './remote-rows.js';
import { refusals } from './schemas.js';

const tags = ['federation'];
const RemoteParams = z.strictObject({
  nodeId: z.string().min(1).max(63),
  code: z.string().min(1).max(200),
});
const VerifyAnswer = z.object({ match: z.boolean(), items: z.record(z.string(), z.boolean()).optional() });
const FileAnswer = z.string().describe('the file (format≠json), with its signed receipt in Huitong-Receipt');

/**
 * Cross-node reads, exports and verification (跨节点访问, issue 17 item 4): the routes a provider
 * node answers its peers on (signed requests, signed answers with a receipt), and the routes
 * this node's applications reach another node's resources through.
 */
export async function federationPeerRoutes(
  app: App,
  { store, audit, config, query }: AppContext,
): Promise<void> {
  const db = store.db;
  const nodeKey = nodeKeyOnce(config);
  const nonces = storeNonceCache(db);

  // A peer's signed request, checked against this node's own configuration: the sender, and
  // this node's signing identity for the answer.
  const checkedPeer = async (request: FastifyRequest) => {
    const node = await requireNode(db);
    const held = assertConfigCurrent((await readHeldConfig(db))?.config);
    activeNode(held, node.node_id);
    const message = signedMessage(request, node);
    const sender: FederationNode = await verifyRequest(message, { config: held, nonces });
    if (sender.nodeId === node.node_id)
      throw new AppError(400, 'bad_request', 'A node does not read from itself');
    return { message, sender, signer: { nodeId: node.node_id, key: (await nodeKey()).key } };
  };

  await signedRoutes(app, (scoped) => {
    scoped.post(
      '/api/v1/federation/peer/rows',
      {
        config: { public: true },
        schema: {
          tags,
          summary:
            'A peer node reads a page for one of its applications (signed, RFC 9421); this node enforces its own grant and answers the page with a signed receipt',
          response: { 200: PeerRowsAnswerSchema, ...refusals },
        },
      },
      async (request, reply) => {
        const { message, sender, signer } = await checkedPeer(request);
        const answer = await servePeerRows(query, signer, sender, message.body, request.ip);
        return sendSigned(reply, signer, message, answer);
      },
    );
    scoped.post(
      '/api/v1/federation/peer/export',
      {
        config: { public: true },
        schema: {
          tags,
          summary:
            'A peer node exports a file for one of its applications (signed, RFC 9421); this node makes it under its own grant (at most 16 MiB) and answers it with a signed receipt in the Huitong-Receipt header',
          response: { 200: FileAnswer, ...refusals, 413: refusals[400] },
        },
      },
      async (request, reply) => {
        const { message, sender, signer } = await checkedPeer(request);
        const file = await servePeerExport(query, signer, sender, message.body, request.ip);
        return sendSignedFile(reply, signer, message, {
          body: file.file,
          contentType: file.contentType,
          receipt: receiptHeaderValue(file),
        });
      },
    );
    scoped.post(
      '/api/v1/federation/peer/verify',
      {
        config: { public: true },
        schema: {
          tags,
          summary:
            'A peer node verifies a claim for one of its applications (signed, RFC 9421); this node checks it under its own grant and answers with a signed receipt',
          response: { 200: PeerVerifyAnswerSchema, ...refusals },
        },
      },
      async (request, reply) => {
        const { message, sender, signer } = await checkedPeer(request);
        const answer = await servePeerVerify(query, signer, sender, message.body, request.ip);
        return sendSigned(reply, signer, message, answer);
      },
    );
  });

  const peers: PeerReadContext = peerReadContext({ store, audit, config });
  const signedIn = (request: FastifyRequest) => {
    if (request.actor.kind === 'anonymous') throw new AppError(401, 'unauthenticated', 'Sign in first');
    return request.actor;
  };

  app.get(
    '/api/v1/federation/nodes/:nodeId/resources/:code/rows',
    {
      schema: {
        tags,
        summary:
          'Rows of a resource another node provides, read for the calling application under that node’s grant: a JSON page, or with format=csv|xlsx|… the file (at most 16 MiB); both nodes log the exchange',
        params: RemoteParams,
        querystring: RemoteReadQuerySchema,
        response: { 200: RowsPage, ...refusals, 413: refusals[400], 429: refusals[400], 502: refusals[400] },
      },
    },
    async (request, reply) => {
      const actor = signedIn(request);
      const { nodeId, code } = request.params;
      const { format, bom, header, cursor, ...rows } = request.query;
      reply.header('cache-control', 'no-store');
      if (format !== 'json') {
        const file = await exportRemoteRows(
          peers,
          actor,
          nodeId,
          code,
          { ...rows, format, bom, header },
          String(request.id),
        );
        // The file as the provider released it (its SHA-256 is the one both logs hold).
        return reply
          .code(200)
          .type(file.contentType)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
          .send(file.file as never);
      }
      const page = await readRemoteRows(peers, actor, nodeId, code, { ...rows, cursor }, String(request.id));
      // The page as the provider released it (its SHA-256 is the one both logs hold).
      return reply
        .code(200)
        .type('application/json; charset=utf-8')
        .send(Buffer.from(page) as never);
    },
  );

  app.post(
    '/api/v1/federation/nodes/:nodeId/resources/:code/verify',
    {
      schema: {
        tags,
        summary:
          '核验 against a record another node holds, for the calling application under that node’s grant; answers only whether it matches; both nodes log the exchange',
        params: RemoteParams,
        body: VerifyClaimSchema,
        response: { 200: VerifyAnswer, ...refusals, 429: refusals[400], 502: refusals[400] },
      },
    },
    async (request, reply) => {
      const { nodeId, code } = request.params;
      const answer = await verifyRemoteClaim(
        peers,
        signedIn(request),
        nodeId,
        code,
        request.body,
        String(request.id),
      );
      return reply
        .code(200)
        .type('application/json; charset=utf-8')
        .send(Buffer.from(answer) as never);
    },
  );
}
