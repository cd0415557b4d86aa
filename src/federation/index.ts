// The public surface of federation/ (联邦, issue 17): node identity, the signed federation
// configuration, signed node-to-node requests and membership (join, approval, status).

export { applyReport } from './catalog-apply.js';
export { committedHighWater, pendingChanges } from './catalog-changes.js';
export {
  CATALOG_STALE_SECONDS,
  type CatalogNodeView,
  federatedSearchOf,
  listCatalogNodes,
} from './catalog-nodes.js';
export { regionHolds } from './catalog-ownership.js';
export { receiveCatalogReport } from './catalog-receive.js';
export {
  CATALOG_REPORT_PATH,
  type ReportOptions,
  reportCatalogOnce,
  startCatalogReporter,
} from './catalog-report.js';
export {
  type CatalogAck,
  CatalogAckSchema,
  type CatalogReport,
  CatalogReportSchema,
  REPORT_BATCH_MAX,
  REPORT_MAX_BYTES,
  type ReportedChange,
} from './catalog-schema.js';
export { type ReportState, readReportState } from './catalog-state.js';
export { acceptConfig, assertConfigCurrent } from './config-accept.js';
export {
  type FederationConfig,
  FederationConfigSchema,
  type FederationNode,
  FederationNodeSchema,
  NodeLevelSchema,
  NodeStatusSchema,
  RegionCodeSchema,
  type SignedFederationConfig,
  SignedFederationConfigSchema,
} from './config-schema.js';
export { keyIdOf, signConfig, verifySignedConfig } from './config-sign.js';
export { contentDigest, digestMatches } from './content-digest.js';
// Witnessed logs (issue 17 item 5): each node cosigns its peers' consistent checkpoints (C2SP
// tlog-cosignature), the root publishes them, and a fork or rollback is raised on every node.
export {
  cosign,
  cosignatureKeyId,
  cosignedMessage,
  noteBody,
  verifyCosignature,
  withCosignatures,
  witnessName,
} from './cosign.js';
export { joinFederation, refreshConfig, startConfigRefresh } from './member.js';
export {
  decideJoin,
  type JoinRequest,
  JoinRequestSchema,
  listMembers,
  MemberStatusSchema,
  receiveJoinRequest,
  setMemberStatus,
} from './members.js';
export {
  loadNodeKey,
  NODE_KEY_FILE,
  type NodeRow,
  readHeldConfig,
  readNode,
  requireNode,
  storeNonceCache,
} from './node-store.js';
export {
  mirrorPeerApplication,
  type PeerApp,
  PeerAppSchema,
  type PeerOrg,
  PeerOrgSchema,
  type PeerPrincipal,
  speaksForRegion,
} from './peer-principals.js';
export {
  type PeerReadContext,
  type RemoteRowsQuery,
  RemoteRowsQuerySchema,
  readRemoteRows,
} from './peer-read.js';
export {
  exportRemoteRows,
  type RemoteExport,
  type RemoteExportQuery,
  type RemoteReadQuery,
  RemoteReadQuerySchema,
} from './peer-read-export.js';
export { RemoteVerifyAnswerSchema, verifyRemoteClaim } from './peer-read-verify.js';
export { type PeerRowsRequest, PeerRowsRequestSchema, servePeerRows } from './peer-serve.js';
export {
  type PeerExport,
  type PeerExportRequest,
  PeerExportRequestSchema,
  servePeerExport,
} from './peer-serve-export.js';
export {
  type PeerVerifyAnswer,
  PeerVerifyAnswerSchema,
  type PeerVerifyRequest,
  PeerVerifyRequestSchema,
  servePeerVerify,
} from './peer-serve-verify.js';
export {
  checkReceipt,
  type PeerRowsAnswer,
  PeerRowsAnswerSchema,
  RECEIPT_HEADER,
  type Receipt,
  type ReceiptKind,
  ReceiptSchema,
  receiptHeaderValue,
  type SignedReceipt,
  SignedReceiptSchema,
  sha256Hex,
  signReceipt,
} from './receipt.js';
export {
  type Deliverable,
  deliverRemoteRequest,
  deliveryUncertain,
  PEER_ACCESS_REQUESTS_PATH,
} from './remote-request-deliver.js';
// Cross-node access requests (issue 17 item 4): an analyst applies from their own node, the
// provider's steward decides as for a local request, the consumer node follows the decision.
export { type RemoteRequestContext, signedExchange } from './remote-request-exchange.js';
export { fileRemoteRequest } from './remote-request-file.js';
export {
  followRemoteRequests,
  PEER_REQUEST_STATUS_PATH,
  REMOTE_REQUEST_ACTOR,
  startRemoteRequestFollower,
} from './remote-request-follow.js';
export { listRemoteRequests, presentRemoteRequest } from './remote-request-list.js';
export { mirrorPeerPerson } from './remote-request-person.js';
export { type ReceivedRequest, receivePeerAccessRequest } from './remote-request-receive.js';
export {
  type CreateRemoteRequestInput,
  CreateRemoteRequestSchema,
  type PeerAccessAnswer,
  PeerAccessAnswerSchema,
  type PeerAccessRequest,
  PeerAccessRequestSchema,
  type PeerPerson,
  PeerPersonSchema,
  type PeerRequestStatus,
  PeerStatusAnswerSchema,
  PeerStatusQuerySchema,
  type RemoteDecision,
  RemoteDecisionSchema,
  RemoteRequestSchema,
  type RemoteRequestStatus,
  RemoteRequestStatusSchema,
  type RemoteRequestView,
} from './remote-request-schema.js';
export { decisionOf, peerRequestStatuses } from './remote-request-status.js';
export {
  CONFIG_VALIDITY_DAYS,
  initRoot,
  issueJoinToken,
  type NodeDescription,
  publishConfig,
} from './root.js';
export {
  activeNode,
  memoryNonceCache,
  type NodeSigner,
  type NonceCache,
  SIGNATURE_WINDOW_SECONDS,
  signRequest,
  signResponse,
  verifyRequest,
  verifyResponse,
} from './signed-request.js';
export {
  type JoinTokenView,
  JoinTokenViewSchema,
  type MemberView,
  MemberViewSchema,
  type NodeStatusView,
  NodeStatusViewSchema,
} from './views.js';
export { judgeCheckpoint, locateDivergence, type ProofSource, type Verdict } from './witness-check.js';
export { peerLogKey } from './witness-keys.js';
export {
  type KeyedWitnessContext,
  type PeerOutcome,
  WITNESS_ACTOR,
  type WitnessContext,
  witnessPeer,
} from './witness-peer.js';
export { witnessedPeers } from './witness-peers.js';
export { publishedCheckpoints } from './witness-publish.js';
export { acceptReport, type ReportContext, receiveWitnessReport } from './witness-root.js';
export { type RoundSummary, startWitness, WITNESS_REPORT_PATH, witnessRound } from './witness-round.js';
export {
  type CosignedCheckpoint,
  CosignedCheckpointSchema,
  type WitnessAlert,
  WitnessAlertSchema,
  type WitnessReport,
  WitnessReportAnswerSchema,
  WitnessReportSchema,
} from './witness-schema.js';
export { listWitnessAlerts, SEEN_KEPT, witnessPeerStates } from './witness-store.js';
