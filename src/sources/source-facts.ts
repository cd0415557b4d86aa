import type { SourceView } from './schemas.js';

/**
 * What an audit entry records of a source: which one, whose, and whether credentials are set.
 * Never the credentials nor the connection options, which may name hosts and accounts.
 */
export function sourceFacts(source: SourceView) {
  return {
    sourceId: source.id,
    orgId: source.orgId,
    kind: source.kind,
    name: source.name,
    hasPassword: source.hasPassword,
    hasAuthHeader: source.hasAuthHeader,
  };
}
