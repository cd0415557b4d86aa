import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/index.js';
import {
  activeNode,
  assertConfigCurrent,
  CreateRemoteRequestSchema,
  fileRemoteRequest,
  listRemoteRequests,
  PEER_ACCESS_REQUESTS_PATH,
  PEER_REQUEST_STATUS_PATH,
  PeerAccessAnswerSchema,
  PeerStatusAnswerSchema,
  peerRequestStatuses,
  type RemoteRequestContext,
  RemoteRequestSchema,
  readHeldConfig,
  receivePeerAccessRequest,
  requireNode,
  storeNonceCache,
  verifyRequest,
} from '../../federation/index.js';
import { outboundPolicyFromConfig } from '../../net/index.js';
import { PageQuerySchema, pageSchema } from '../../store/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { nodeKeyOnce, sendSigned, signedMessage, signedRoutes } from './federation-signed.js';
import { refusals } from './schemas.js';

const tags = ['federation'];

/**
 * Cross-node access requests (跨节点共享申请, issue 17 item 4): the routes a provider node takes
 * its peers' requests and status queries on (signed both ways), and the routes this node's
 * analysts apply to another node's resources through and follow their requests on.
 */
export async function federationRequestRoutes(app: App, { store, audit, config }: AppContext): Promise<void> {
  const db = store.db;
  const nodeKey = nodeKeyOnce(config);
  const nonces = storeNonceCache(db);
  const context: RemoteRequestContext = {
    db,
    audit,
    outbound: outboundPolicyFromConfig(config),
    signer: async () => ({ nodeId: (await requireNode(db)).node_id, key: (await nodeKey()).key }),
  };

  // The peer's signature, checked against this node's own configuration over the exact bytes.
  const verified = async (request: FastifyRequest) => {
    const node = await requireNode(db);
    const held = assertConfigCurrent((await readHeldConfig(db))?.config);
    activeNode(held, node.node_id);
    const message = signedMessage(request, node);
    const sender = await verifyRequest(message, { config: held, nonces });
    if (sender.nodeId === node.node_id)
      throw new AppError(400, 'bad_request', 'A node does not apply to itself');
    return { sender, message, signer: { nodeId: node.node_id, key: (await nodeKey()).key } };
  };
  await signedRoutes(app, (scoped) => {
    scoped.post(
      PEER_ACCESS_REQUESTS_PATH,
      {
        config: { public: true },
        schema: {
          tags,
          summary:
            'A peer node files an access request of one of its people for one of its applications (signed, RFC 9421); this node’s steward decides it as a local one',
          response: { 201: PeerAccessAnswerSchema, ...refusals },
        },
      },
      async (request, reply) => {
        const { sender, message, signer } = await verified(request);
        const received = await receivePeerAccessRequest(db, sender, message.body);
        const { view } = received;
        if (received.created)
          await recordEvent(
            audit,
            request,
            'access_request.created',
            {
              accessRequestId: view.id,
              applicationId: view.applicationId,
              resourceCode: view.resource.code,
              items: view.items,
              purpose: view.purpose,
              node: sender.nodeId,
              remoteRequestId: received.asked.remoteRequestId,
            },
            {
              actor: { kind: 'user', id: received.actor.userId, orgId: received.actor.orgId },
              resources: [view.resource.code],
            },
          );
        return sendSigned(reply, signer, message, { requestId: view.id, status: view.status }, 201);
      },
    );
    scoped.post(
      PEER_REQUEST_STATUS_PATH,
      {
        config: { public: true },
        schema: {
          tags,
          summary:
            'A peer node asks where the access requests it filed stand (signed); the answer names the grant’s items and period or the coded refusal',
          response: { 200: PeerStatusAnswerSchema, ...refusals },
        },
      },
      async (request, reply) => {
        const { sender, message, signer } = await verified(request);
        return sendSigned(reply, signer, message, await peerRequestStatuses(db, sender, message.body));
      },
    );
  });

  app.post(
    '/api/v1/federation/remote-requests',
    {
      schema: {
        tags,
        summary:
          'Apply, from this node, for a 有条件共享 resource another node provides, for one of your organisation’s applications (analyst); the provider’s steward decides. 202 when the provider cannot be reached yet: the request is sent again until it is filed',
        body: CreateRemoteRequestSchema,
        response: { 201: RemoteRequestSchema, 202: RemoteRequestSchema, ...refusals, 502: refusals[400] },
      },
    },
    async (request, reply) => {
      if (request.actor.kind === 'anonymous') throw new AppError(401, 'unauthenticated', 'Sign in first');
      const created = await fileRemoteRequest(context, request.actor, request.body, String(request.id));
      // 202: recorded, but the provider could not be reached yet; it is sent again until filed.
      return reply.code(created.status === 'sending' ? 202 : 201).send(created);
    },
  );

  app.get(
    '/api/v1/federation/remote-requests',
    {
      schema: {
        tags,
        summary:
          'Your organisation’s requests to other nodes, with the provider’s decision (the grant’s items and period, or the coded refusal); pending ones are asked of their provider first',
        querystring: PageQuerySchema.strict(),
        response: { 200: pageSchema(RemoteRequestSchema), ...refusals },
      },
    },
    async (request) => {
      if (request.actor.kind === 'anonymous') throw new AppError(401, 'unauthenticated', 'Sign in first');
      return listRemoteRequests(context, request.actor, request.query);
    },
  );
}
