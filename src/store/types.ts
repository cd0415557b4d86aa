import type { AssessmentTables } from './tables/assessments.js';
import type { AuditTables } from './tables/audit.js';
import type { CatalogTables } from './tables/catalog.js';
import type { DeliveryScheduleTables } from './tables/delivery-schedules.js';
import type { FederationTables } from './tables/federation.js';
import type { FederationCatalogTables } from './tables/federation-catalog.js';
import type { FederationPeerTables } from './tables/federation-peers.js';
import type { FederationRequestTables } from './tables/federation-requests.js';
import type { FederationWitnessTables } from './tables/federation-witness.js';
import type { GovernanceTables } from './tables/governance.js';
import type { IdentityTables } from './tables/identity.js';
import type { ObjectionTables } from './tables/objections.js';
import type { QualityTables } from './tables/quality.js';
import type { QueryTables } from './tables/query.js';
import type { SharingTables } from './tables/sharing.js';
import type { SourceTables } from './tables/sources.js';
import type { SubscriptionTables } from './tables/subscriptions.js';
import type { TracingTables } from './tables/tracing.js';
import type { WarningTables } from './tables/warning.js';

export type * from './tables/assessments.js';
export type * from './tables/audit.js';
export type * from './tables/catalog.js';
export type * from './tables/delivery-schedules.js';
export type * from './tables/federation.js';
export type * from './tables/federation-catalog.js';
export type * from './tables/federation-witness.js';
export type * from './tables/governance.js';
export type * from './tables/identity.js';
export type * from './tables/objections.js';
export type * from './tables/quality.js';
export type * from './tables/query.js';
export type * from './tables/sharing.js';
export type * from './tables/sources.js';
export type * from './tables/subscriptions.js';
export type * from './tables/tracing.js';
export type * from './tables/warning.js';

/**
 * The whole metadata store, as Kysely sees it: each module declares its tables in
 * `tables/<module>.ts` and adds them here.
 */
export interface Database
  extends IdentityTables,
    AuditTables,
    CatalogTables,
    SourceTables,
    SharingTables,
    QueryTables,
    GovernanceTables,
    AssessmentTables,
    QualityTables,
    ObjectionTables,
    WarningTables,
    SubscriptionTables,
    TracingTables,
    DeliveryScheduleTables,
    FederationTables,
    FederationPeerTables,
    FederationRequestTables,
    FederationWitnessTables,
    FederationCatalogTables {}
