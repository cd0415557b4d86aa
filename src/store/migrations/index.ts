import type { Migration, MigrationProvider } from 'kysely';
import * as identity from './0001-identity.js';
import * as catalog from './0002-catalog.js';
import * as audit from './0003-audit.js';
import * as sources from './0004-sources.js';
import * as sharing from './0005-sharing.js';
import * as query from './0006-query.js';
import * as loginThrottle from './0007-login-throttle.js';
import * as sharingLimits from './0008-sharing-limits.js';
import * as passwordChange from './0009-password-change.js';
import * as privacyBudgets from './0010-privacy-budgets.js';
import * as openReleaseK from './0011-open-release-k.js';
import * as releaseReviews from './0012-release-reviews.js';
import * as sandboxNoise from './0013-sandbox-noise.js';
import * as governance from './0014-governance.js';
import * as sealedHeldResults from './0015-sealed-held-results.js';
import * as objections from './0016-objections.js';
import * as demands from './0017-demands.js';
import * as catalogReview from './0018-catalog-review.js';
import * as dataQuality from './0019-data-quality.js';
import * as pgWire from './0020-pg-wire.js';
import * as assessments from './0021-assessments.js';
import * as warning from './0022-warning.js';
import * as tracing from './0023-tracing.js';
import * as subscriptions from './0024-subscriptions.js';
import * as pushDelivery from './0025-push-delivery.js';
import * as deliverySchedules from './0026-delivery-schedules.js';
import * as bindingCapture from './0027-binding-capture.js';
import * as catalogSearchIndex from './0028-catalog-search-index.js';
import * as federation from './0029-federation.js';
import * as federationCatalog from './0030-federation-catalog.js';
import * as federationWitness from './0031-federation-witness.js';
import * as federationPeers from './0032-federation-peers.js';
import * as federationRequests from './0033-federation-requests.js';
import * as federationCatalogBulkIndex from './0034-federation-catalog-bulk-index.js';

/**
 * Every migration, in order. A static list rather than a folder scan so that the same
 * set runs from src/ under Vitest, from dist/ in production, and from a bundle.
 */
const migrations: Record<string, Migration> = {
  '0001-identity': identity,
  '0002-catalog': catalog,
  '0003-audit': audit,
  '0004-sources': sources,
  '0005-sharing': sharing,
  '0006-query': query,
  '0007-login-throttle': loginThrottle,
  '0008-sharing-limits': sharingLimits,
  '0009-password-change': passwordChange,
  '0010-privacy-budgets': privacyBudgets,
  '0011-open-release-k': openReleaseK,
  '0012-release-reviews': releaseReviews,
  '0013-sandbox-noise': sandboxNoise,
  '0014-governance': governance,
  '0015-sealed-held-results': sealedHeldResults,
  '0016-objections': objections,
  '0017-demands': demands,
  '0018-catalog-review': catalogReview,
  '0019-data-quality': dataQuality,
  '0020-pg-wire': pgWire,
  '0021-assessments': assessments,
  '0022-warning': warning,
  '0023-tracing': tracing,
  '0024-subscriptions': subscriptions,
  '0025-push-delivery': pushDelivery,
  '0026-delivery-schedules': deliverySchedules,
  '0027-binding-capture': bindingCapture,
  '0028-catalog-search-index': catalogSearchIndex,
  '0029-federation': federation,
  '0030-federation-catalog': federationCatalog,
  '0031-federation-witness': federationWitness,
  '0032-federation-peers': federationPeers,
  '0033-federation-requests': federationRequests,
  '0034-federation-catalog-bulk-index': federationCatalogBulkIndex,
};

/** Every migration's name, oldest first (the schema versions, in order). */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations);

/** Kysely's provider over the static list. */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
