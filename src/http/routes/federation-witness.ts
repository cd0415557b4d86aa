import { z } from 'zod';
import { NotFoundError } from '../../errors/index.js';
import {
  CosignedCheckpointSchema,
  listWitnessAlerts,
  publishedCheckpoints,
  receiveWitnessReport,
  requireNode,
  storeNonceCache,
  WITNESS_REPORT_PATH,
  WitnessAlertSchema,
  WitnessReportAnswerSchema,
  witnessPeerStates,
} from '../../federation/index.js';
import { authorize } from '../../identity/index.js';
import { outboundPolicyFromConfig } from '../../net/index.js';
import type { App, AppContext } from '../types.js';
import { nodeKeyOnce, sendSigned, signedMessage, signedRoutes } from './federation-signed.js';
import { refusals } from './schemas.js';

const tags = ['federation'];
const NodeIdParams = z.strictObject({ nodeId: z.string().min(1).max(63) });
const WitnessPeerStateSchema = z.object({
  nodeId: z.string(),
  keySource: z.enum(['config', 'first_sight']),
  lastSeenSize: z.number().int().nullable(),
  lastSeenAt: z.string().nullable(),
  checkedAt: z.string().nullable(),
  lastError: z.string().nullable(),
});

/**
 * Witnessed logs (联邦见证): the root takes each witness's signed report (cosignatures and
 * alerts) and publishes every log's latest cosigned checkpoint; every node lists the fork and
 * rollback alerts it holds (its own witness's and those the root relays).
 */
export async function federationWitnessRoutes(app: App, { store, audit, config }: AppContext): Promise<void> {
  const db = store.db;
  const nonces = storeNonceCache(db);
  const policy = outboundPolicyFromConfig(config);
  const nodeKey = nodeKeyOnce(config);

  await signedRoutes(app, (scoped) => {
    scoped.post(
      WITNESS_REPORT_PATH,
      {
        config: { public: true },
        schema: {
          tags,
          summary:
            'A witness reports its cosignatures of its peers’ checkpoints and its fork alerts (root; signed, RFC 9421); answered with every alert, signed',
          response: { 200: WitnessReportAnswerSchema, ...refusals },
        },
      },
      async (request, reply) => {
        const node = await requireNode(db);
        const message = signedMessage(request, node);
        const answer = await receiveWitnessReport({ db, policy, audit }, nonces, message);
        return sendSigned(
          reply,
          { nodeId: node.node_id, key: (await nodeKey()).key },
          message,
          WitnessReportAnswerSchema.parse(answer),
        );
      },
    );
  });

  app.get(
    '/api/v1/federation/witness/checkpoints',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Each member log’s latest checkpoint its witnesses cosigned (root; C2SP tlog-cosignature)',
        response: { 200: z.object({ items: z.array(CosignedCheckpointSchema) }), ...refusals },
      },
    },
    async () => {
      await requireNode(db);
      return { items: await publishedCheckpoints(db) };
    },
  );

  app.get(
    '/api/v1/federation/witness/checkpoints/:nodeId',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'A member log’s latest cosigned checkpoint as a signed note (text/plain): the log’s signature and one cosignature line per witness',
        params: NodeIdParams,
        produces: ['text/plain'],
      },
    },
    async (request, reply) => {
      await requireNode(db);
      const [published] = await publishedCheckpoints(db, request.params.nodeId);
      if (!published) throw new NotFoundError('Cosigned checkpoint');
      return reply.type('text/plain; charset=utf-8').send(published.note);
    },
  );

  app.get(
    '/api/v1/federation/witness/alerts',
    {
      schema: {
        tags,
        summary: 'Forks and rollbacks of member logs: detected by this node’s witness or relayed by the root',
        response: { 200: z.object({ items: z.array(WitnessAlertSchema) }), ...refusals },
      },
    },
    async (request) => {
      authorize(request.actor, 'federation.read');
      await requireNode(db);
      return { items: await listWitnessAlerts(db) };
    },
  );

  app.get(
    '/api/v1/federation/witness/peers',
    {
      schema: {
        tags,
        summary:
          'The peers this node witnesses: where their log key comes from, the last checkpoint size seen, the last check and its error',
        response: { 200: z.object({ items: z.array(WitnessPeerStateSchema) }), ...refusals },
      },
    },
    async (request) => {
      authorize(request.actor, 'federation.read');
      await requireNode(db);
      return { items: await witnessPeerStates(db) };
    },
  );
}
