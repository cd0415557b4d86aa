import type { FederationConfig, FederationNode } from './config-schema.js';

/**
 * The peers a node witnesses: its parent, its children and its siblings (same parent), when
 * active. Each log then has a handful of witnesses (its province, its sibling cities, its own
 * cities) without every node following all ~360 others (docs/federation.md counts the messages).
 */
export function witnessedPeers(config: FederationConfig, selfId: string): FederationNode[] {
  const self = config.nodes.find((n) => n.nodeId === selfId);
  if (self?.status !== 'active') return [];
  return config.nodes.filter(
    (n) =>
      n.nodeId !== selfId &&
      n.status === 'active' &&
      (n.nodeId === self.parentNodeId ||
        n.parentNodeId === selfId ||
        (self.parentNodeId !== null && n.parentNodeId === self.parentNodeId)),
  );
}
