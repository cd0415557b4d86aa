import { z } from 'zod';
import { AppError } from '../../errors/index.js';
import {
  decideJoin,
  issueJoinToken,
  JoinTokenViewSchema,
  listMembers,
  MemberStatusSchema,
  MemberViewSchema,
  NodeStatusViewSchema,
  readHeldConfig,
  receiveJoinRequest,
  requireNode,
  SignedFederationConfigSchema,
  setMemberStatus,
  storeNonceCache,
} from '../../federation/index.js';
import { authorize } from '../../identity/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { nodeKeyOnce, signedMessage, signedRoutes } from './federation-signed.js';
import { refusals } from './schemas.js';

const tags = ['federation'];

const NodeIdParams = z.strictObject({ nodeId: z.string().min(1).max(63) });

/**
 * Federation (联邦): the signed configuration any peer may fetch, the join request a new node
 * sends (signed with its own key), and the administrator's membership operations on the root.
 */
export async function federationRoutes(app: App, { store, audit, config }: AppContext): Promise<void> {
  const db = store.db;
  const nodeKey = nodeKeyOnce(config);
  const nonces = storeNonceCache(db);

  app.get(
    '/api/v1/federation/config',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'The signed federation configuration this node holds (members, keys, status, version, expiry)',
        response: { 200: SignedFederationConfigSchema, ...refusals },
      },
    },
    async () => {
      const held = await readHeldConfig(db);
      if (!held)
        throw new AppError(404, 'federation_not_joined', 'This node holds no federation configuration');
      return held.signed;
    },
  );

  app.get(
    '/api/v1/federation/node',
    {
      schema: {
        tags,
        summary: "This node's identity and the configuration it holds",
        response: { 200: NodeStatusViewSchema, ...refusals },
      },
    },
    async (request) => {
      authorize(request.actor, 'federation.read');
      const node = await requireNode(db);
      const held = await readHeldConfig(db);
      return {
        nodeId: node.node_id,
        regionCode: node.region_code,
        name: node.name,
        level: node.level,
        url: node.url,
        role: node.role as 'root' | 'member',
        federation: node.federation,
        publicKey: (await nodeKey()).publicKey,
        config: held
          ? {
              version: held.config.version,
              issuedAt: held.config.issuedAt,
              expiresAt: held.config.expiresAt,
              fetchedAt: held.fetchedAt.toISOString(),
              lastError: held.lastError,
              nodes: held.config.nodes,
            }
          : null,
      };
    },
  );

  app.post(
    '/api/v1/federation/join-tokens',
    {
      schema: {
        tags,
        summary: 'Issue a one-time join token for a new node (root only; shown once)',
        body: z
          .strictObject({ validHours: z.number().int().min(1).max(720).default(24) })
          .default({ validHours: 24 }),
        response: {
          201: JoinTokenViewSchema,
          ...refusals,
        },
      },
    },
    async (request, reply) => {
      authorize(request.actor, 'federation.manage');
      const issued = await issueJoinToken(
        db,
        request.actor.kind === 'user' ? request.actor.userId : 'unknown',
        request.body.validHours,
      );
      await recordEvent(audit, request, 'federation.join_token_issued', {
        tokenId: issued.id,
        expiresAt: issued.expiresAt,
      });
      return reply.code(201).send(issued);
    },
  );

  await signedRoutes(app, (scoped) => {
    scoped.post(
      '/api/v1/federation/join-requests',
      {
        config: { public: true },
        schema: {
          tags,
          summary: 'A node asks to join (signed with its own key, RFC 9421; carries a join token)',
          response: { 202: z.object({ nodeId: z.string(), status: z.literal('pending') }), ...refusals },
        },
      },
      async (request, reply) => {
        const node = await requireNode(db);
        const accepted = await receiveJoinRequest(db, nonces, signedMessage(request, node));
        await recordEvent(audit, request, 'federation.join_requested', { nodeId: accepted.nodeId });
        return reply.code(202).send(accepted);
      },
    );
  });

  app.get(
    '/api/v1/federation/members',
    {
      schema: {
        tags,
        summary: 'Member nodes and pending join requests (root)',
        response: { 200: z.object({ items: z.array(MemberViewSchema) }), ...refusals },
      },
    },
    async (request) => {
      authorize(request.actor, 'federation.read');
      await requireNode(db);
      const rows = await listMembers(db);
      return {
        items: rows.map((m) => ({
          nodeId: m.node_id,
          regionCode: m.region_code,
          name: m.name,
          level: m.level,
          parentNodeId: m.parent_node_id,
          url: m.url,
          status: m.status,
          requestedAt: new Date(m.requested_at).toISOString(),
          decidedAt: m.decided_at ? new Date(m.decided_at).toISOString() : null,
        })),
      };
    },
  );

  app.post(
    '/api/v1/federation/members/:nodeId/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject a pending join request (root); approval publishes the next configuration',
        params: NodeIdParams,
        body: z.strictObject({ decision: z.enum(['approve', 'reject']) }),
        response: {
          200: z.object({ nodeId: z.string(), status: z.string(), configVersion: z.number().nullable() }),
          ...refusals,
        },
      },
    },
    async (request) => {
      authorize(request.actor, 'federation.manage');
      const approve = request.body.decision === 'approve';
      const by = request.actor.kind === 'user' ? request.actor.userId : 'unknown';
      const published = await decideJoin(db, (await nodeKey()).key, request.params.nodeId, approve, by);
      await recordEvent(audit, request, 'federation.join_decided', {
        nodeId: request.params.nodeId,
        decision: request.body.decision,
        configVersion: published?.version ?? null,
      });
      return {
        nodeId: request.params.nodeId,
        status: approve ? 'active' : 'rejected',
        configVersion: published?.version ?? null,
      };
    },
  );

  app.post(
    '/api/v1/federation/members/:nodeId/status',
    {
      schema: {
        tags,
        summary: 'Suspend, reactivate or revoke a member node (root); publishes the next configuration',
        params: NodeIdParams,
        body: z.strictObject({ status: MemberStatusSchema }),
        response: {
          200: z.object({ nodeId: z.string(), status: z.string(), configVersion: z.number() }),
          ...refusals,
        },
      },
    },
    async (request) => {
      authorize(request.actor, 'federation.manage');
      const by = request.actor.kind === 'user' ? request.actor.userId : 'unknown';
      const published = await setMemberStatus(
        db,
        (await nodeKey()).key,
        request.params.nodeId,
        request.body.status,
        by,
      );
      await recordEvent(audit, request, 'federation.member_status_changed', {
        nodeId: request.params.nodeId,
        status: request.body.status,
        configVersion: published.version,
      });
      return { nodeId: request.params.nodeId, status: request.body.status, configVersion: published.version };
    },
  );
}
