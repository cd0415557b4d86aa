// Federation endpoints (联邦, docs/federation.md): this node's identity and the configuration it
// holds; on the root, the member nodes and join requests, their approval and status, join tokens;
// catalog reporting (目录同步): the nodes whose catalogs this node holds, and its own reporting.

import type {
  CreateRemoteRequestInput,
  RemoteRequestStatus,
  RemoteRequestView,
} from '../../../src/federation/remote-request-schema.js';
import type { JoinTokenView, MemberView, NodeStatusView } from '../../../src/federation/views.js';
import { api, type Page } from './client.js';

export type {
  CreateRemoteRequestInput,
  JoinTokenView,
  MemberView,
  NodeStatusView,
  RemoteRequestStatus,
  RemoteRequestView,
};
export type FederationNodeView = NonNullable<NodeStatusView['config']>['nodes'][number];
export type MemberStatus = 'active' | 'suspended' | 'revoked';

/** A node whose catalog this node holds (GET /federation/catalog/nodes, src/federation/catalog-nodes.ts). */
export interface CatalogNodeView {
  nodeId: string;
  name: string;
  regionCode: string;
  level: string;
  /** The child that reports its entries here: itself, or the province that relays a city's. */
  viaNodeId: string;
  entries: number;
  lastSyncedAt: string | null;
  /** No report from the reporting child for longer than the threshold (120 s). */
  stale: boolean;
}

/** This node's own reporting to its parent (null on the root). */
export interface CatalogReportState {
  parentNodeId: string;
  cursor: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastErrorCode: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

const v1 = '/api/v1/federation';
const enc = encodeURIComponent;

export const federationApi = {
  node: () => api.get<NodeStatusView>(`${v1}/node`),
  members: () => api.get<{ items: MemberView[] }>(`${v1}/members`),
  decide: (nodeId: string, decision: 'approve' | 'reject') =>
    api.post<unknown>(`${v1}/members/${enc(nodeId)}/decision`, { decision }),
  setStatus: (nodeId: string, status: MemberStatus) =>
    api.post<unknown>(`${v1}/members/${enc(nodeId)}/status`, { status }),
  catalogNodes: () =>
    api.get<{ report: CatalogReportState | null; items: CatalogNodeView[] }>(`${v1}/catalog/nodes`),
  issueToken: (validHours: number) => api.post<JoinTokenView>(`${v1}/join-tokens`, { validHours }),
  // 跨节点共享申请 (docs/federation.md): status `sending` (HTTP 202) when the provider could not be
  // reached yet; the node sends it again until it is filed.
  remoteRequests: (query: { limit?: number; cursor?: string }) =>
    api.get<Page<RemoteRequestView>>(`${v1}/remote-requests`, query),
  createRemoteRequest: (body: CreateRemoteRequestInput) =>
    api.post<RemoteRequestView>(`${v1}/remote-requests`, body),
};
