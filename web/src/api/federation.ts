// Federation endpoints (联邦, docs/federation.md): this node's identity and the configuration it
// holds; on the root, the member nodes and join requests, their approval and status, join tokens.

import type { JoinTokenView, MemberView, NodeStatusView } from '../../../src/federation/views.js';
import { api } from './client.js';

export type { JoinTokenView, MemberView, NodeStatusView };
export type FederationNodeView = NonNullable<NodeStatusView['config']>['nodes'][number];
export type MemberStatus = 'active' | 'suspended' | 'revoked';

const v1 = '/api/v1/federation';
const enc = encodeURIComponent;

export const federationApi = {
  node: () => api.get<NodeStatusView>(`${v1}/node`),
  members: () => api.get<{ items: MemberView[] }>(`${v1}/members`),
  decide: (nodeId: string, decision: 'approve' | 'reject') =>
    api.post<unknown>(`${v1}/members/${enc(nodeId)}/decision`, { decision }),
  setStatus: (nodeId: string, status: MemberStatus) =>
    api.post<unknown>(`${v1}/members/${enc(nodeId)}/status`, { status }),
  issueToken: (validHours: number) => api.post<JoinTokenView>(`${v1}/join-tokens`, { validHours }),
};
