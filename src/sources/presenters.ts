import type { Selectable } from 'kysely';
import type { SourceTable } from '../store/index.js';
import type { SourceView } from './schemas.js';
import type { SourceKind } from './types.js';

const iso = (d: Date | string) => new Date(d).toISOString();

/**
 * A source as the API shows it. Credentials are never decrypted here; the view says only whether
 * they are set. A file's storage path is the platform's business, not the caller's.
 */
export function presentSource(row: Selectable<SourceTable>): SourceView {
  const { path: _path, ...connection } = row.config as Record<string, unknown>;
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    kind: row.kind as SourceKind,
    description: row.description,
    connection,
    hasPassword: row.secret_fields.includes('password'),
    hasAuthHeader: row.secret_fields.includes('authHeaderValue'),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
