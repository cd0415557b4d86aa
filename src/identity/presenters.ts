import type { Selectable } from 'kysely';
import type { ApiKeyTable, ApplicationTable, OrganizationTable, UserTable } from '../store/index.js';
import { regionFullName } from './regions.js';
import type { Role } from './roles.js';
import type { ApiKeyView, ApplicationView, OrganizationView, UserView } from './schemas.js';

type Row<T> = Selectable<T>;
const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** An organisation as the API shows it. */
export function presentOrganization(row: Row<OrganizationTable>): OrganizationView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as OrganizationView['kind'],
    level: row.level as OrganizationView['level'],
    regionCode: row.region_code,
    regionName: regionFullName(row.region_code) ?? null,
    parentId: row.parent_id,
    creditCode: row.credit_code,
    createdAt: iso(row.created_at)!,
  };
}

/** A user as the API shows it: never the password hash. */
export function presentUser(row: Row<UserTable>): UserView {
  return {
    id: row.id,
    orgId: row.org_id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    roles: row.roles as Role[],
    disabled: row.disabled,
    mustChangePassword: row.must_change_password,
    createdAt: iso(row.created_at)!,
    lastLoginAt: iso(row.last_login_at),
  };
}

/** An application as the API shows it. */
export function presentApplication(row: Row<ApplicationTable>): ApplicationView {
  return {
    id: row.id,
    orgId: row.org_id,
    name: row.name,
    description: row.description,
    createdAt: iso(row.created_at)!,
  };
}

/** An API key as the API shows it: its prefix, never the key or its hash. */
export function presentApiKey(row: Row<ApiKeyTable>, now = new Date()): ApiKeyView {
  const expired = row.expires_at !== null && new Date(row.expires_at) <= now;
  return {
    id: row.id,
    applicationId: row.application_id,
    name: row.name,
    prefix: `ht_${row.key_id}_`,
    roles: row.roles as Role[],
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
    lastUsedAt: iso(row.last_used_at),
    status: row.revoked_at !== null ? 'revoked' : expired ? 'expired' : 'active',
  };
}
