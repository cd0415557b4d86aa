import { AppError } from '../../errors/index.js';
import { type PeerReadContext, readRemoteRows, requireNode } from '../../federation/index.js';
import { outboundPolicyFromConfig } from '../../net/index.js';
import type { RemoteRows } from '../../query/index.js';
import type { AppContext } from '../types.js';
import { nodeKeyOnce } from './federation-signed.js';

/** What a cross-node read needs of this node: its store, log, outbound policy and node key. */
export function peerReadContext({ store, audit, config }: Pick<AppContext, 'store' | 'audit' | 'config'>) {
  const db = store.db;
  const nodeKey = nodeKeyOnce(config);
  return {
    db,
    audit,
    outbound: outboundPolicyFromConfig(config),
    signer: async () => ({ nodeId: (await requireNode(db)).node_id, key: (await nodeKey()).key }),
  } satisfies PeerReadContext;
}

/**
 * How POST /query reads another node's resource (跨节点联合查询): query/ is handed the cross-node
 * read (federation/ may not be imported by query/), so each page is the provider's signed answer,
 * its receipt checked and logged here under the query's request id before the rows are used.
 */
export function remoteRowsOf(peer: PeerReadContext): RemoteRows {
  return {
    read: (caller, nodeId, code, page) => {
      if (caller.actor.kind === 'anonymous') throw new AppError(401, 'unauthenticated', 'Sign in first');
      return readRemoteRows(peer, caller.actor, nodeId, code, page, caller.requestId);
    },
  };
}
