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
