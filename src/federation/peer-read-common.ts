import { AppError } from '../errors/index.js';
import { type AuthenticatedActor, authorize } from '../identity/index.js';
import { cachedRead } from '../store/index.js';
import type { FederationConfig, FederationNode } from './config-schema.js';
import type { PeerApp, PeerOrg } from './peer-principals.js';
import { peerOrgOf, providerPeer } from './peer-provider.js';
import { checkReceipt, type ReceiptKind, type SignedReceipt } from './receipt.js';
import type { RemoteRequestContext } from './remote-request-exchange.js';

/** Who takes part in a cross-node read: this node, the provider, and the application it reads for. */
export interface RemoteParties {
  self: string;
  config: FederationConfig;
  provider: FederationNode;
  org: PeerOrg;
  application: PeerApp;
  actor: Extract<AuthenticatedActor, { kind: 'application' }>;
}

/**
 * The parties of a cross-node read (a page, an export, a verification), checked: an application
 * with the right to read across nodes, this node's configuration current, this node and the
 * provider active members, the provider another node. `local` says where the resource is read
 * when it is on this node (providerPeer).
 */
export async function remoteParties(
  ctx: RemoteRequestContext,
  actor: AuthenticatedActor,
  providerNodeId: string,
  local: string,
): Promise<RemoteParties> {
  authorize(actor, 'federation.remote_read');
  if (actor.kind !== 'application') throw new Error('unreachable: the policy allows applications only');
  const { self, config, provider } = await providerPeer(ctx.db, providerNodeId, local);
  const [org, app] = await Promise.all([
    peerOrgOf(ctx.db, actor.orgId),
    // Named in every read: kept by the store's read cache, as the caller's key is.
    cachedRead(ctx.db, `peer_read_app:${actor.applicationId}`, () =>
      ctx.db
        .selectFrom('applications')
        .select(['id', 'name'])
        .where('id', '=', actor.applicationId)
        .executeTakeFirstOrThrow(),
    ),
  ]);
  return {
    self,
    config,
    provider,
    org,
    application: { id: app.id, name: app.name },
    actor,
  };
}

/**
 * Accepts a provider's receipt on this node: checks it (signed by the provider, for this node,
 * resource and application, of the kind — and format — asked, over the very bytes received)
 * and logs it (`federation.receipt`) durably. The caller passes the bytes on only once this
 * resolves: both logs hold the exchange, or nothing leaves.
 */
export async function acceptReceipt(
  ctx: RemoteRequestContext,
  parties: RemoteParties,
  asked: { resource: string; kind: ReceiptKind; format?: string },
  signed: SignedReceipt,
  released: string | Buffer,
  requestId: string,
): Promise<void> {
  const { resource } = asked;
  checkReceipt(signed, released, {
    provider: parties.provider,
    consumer: parties.self,
    resource,
    application: parties.application.id,
    kind: asked.kind,
  });
  if (signed.receipt.format !== asked.format)
    throw new AppError(502, 'federation_receipt_invalid', 'The receipt is for another format');
  const { receipt, signature } = signed;
  const { actor, provider } = parties;
  await ctx.audit.append({
    type: 'federation.receipt',
    actor: { kind: 'application', id: `${actor.applicationId}/${actor.keyId}`, orgId: actor.orgId },
    requestId,
    resources: [`${provider.nodeId}:${resource}`],
    data: {
      provider: provider.nodeId,
      resource,
      // A page's entry keeps the first entries' shape (no kind).
      ...(receipt.kind ? { kind: receipt.kind } : {}),
      ...(receipt.format ? { format: receipt.format } : {}),
      rows: receipt.rows,
      bytes: receipt.bytes,
      sha256: receipt.sha256,
      receipt,
      signature,
    },
  });
}
