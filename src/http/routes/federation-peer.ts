import { z } from 'zod';
import { AppError } from '../../errors/index.js';
import {
  activeNode,
  assertConfigCurrent,
  PeerRowsAnswerSchema,
  RemoteRowsQuerySchema,
  readHeldConfig,
  readRemoteRows,
  requireNode,
  servePeerRows,
  storeNonceCache,
  verifyRequest,
} from '../../federation/index.js';
import { outboundPolicyFromConfig } from '../../net/index.js';
import type { App, AppContext } from '../types.js';
import { nodeKeyOnce, sendSigned, signedMessage, signedRoutes } from './federation-signed.js';
import { RowsPage } from './query.js';
import { refusals } from './schemas.js';

const tags = ['federation'];

/**
 * Cross-node reads (跨节点访问, issue 17 item 4): the route a provider node answers its peers on
 * (signed requests, signed answers with a receipt), and the route this node's applications read
 * another node's resources through.
 */
export async function federationPeerRoutes(
  app: App,
  { store, audit, config, query }: AppContext,
): Promise<void> {
  const db = store.db;
  const nodeKey = nodeKeyOnce(config);
  const nonces = storeNonceCache(db);
  const outbound = outboundPolicyFromConfig(config);

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
        const node = await requireNode(db);
        const held = assertConfigCurrent((await readHeldConfig(db))?.config);
        activeNode(held, node.node_id);
        const message = signedMessage(request, node);
        const sender = await verifyRequest(message, { config: held, nonces });
        if (sender.nodeId === node.node_id)
          throw new AppError(400, 'bad_request', 'A node does not read from itself');
        const signer = { nodeId: node.node_id, key: (await nodeKey()).key };
        const answer = await servePeerRows(query, signer, sender, message.body, request.ip);
        return sendSigned(reply, signer, message, answer);
      },
    );
  });

  app.get(
    '/api/v1/federation/nodes/:nodeId/resources/:code/rows',
    {
      schema: {
        tags,
        summary:
          'A page of a resource another node provides, read for the calling application under that node’s grant; both nodes log the exchange',
        params: z.strictObject({ nodeId: z.string().min(1).max(63), code: z.string().min(1).max(200) }),
        querystring: RemoteRowsQuerySchema,
        response: { 200: RowsPage, ...refusals, 429: refusals[400], 502: refusals[400] },
      },
    },
    async (request, reply) => {
      if (request.actor.kind === 'anonymous') throw new AppError(401, 'unauthenticated', 'Sign in first');
      const page = await readRemoteRows(
        {
          db,
          audit,
          outbound,
          signer: async () => ({ nodeId: (await requireNode(db)).node_id, key: (await nodeKey()).key }),
        },
        request.actor,
        request.params.nodeId,
        request.params.code,
        request.query,
        String(request.id),
      );
      // The page as the provider released it (its SHA-256 is the one both logs hold).
      return reply
        .code(200)
        .type('application/json; charset=utf-8')
        .send(Buffer.from(page) as never);
    },
  );
}
