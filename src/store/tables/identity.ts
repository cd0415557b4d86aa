import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** organizations: members of the platform (departments, enterprises, the operator). */
export interface OrganizationTable {
  id: string;
  name: string;
  kind: string;
  level: string;
  region_code: string;
  parent_id: string | null;
  credit_code: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** users: people who log in; each belongs to one organisation. */
export interface UserTable {
  id: string;
  org_id: string;
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string;
  roles: string[];
  disabled: Generated<boolean>;
  /** Set when someone else chose the password (等保): the holder must change it first. */
  must_change_password: Generated<boolean>;
  created_at: CreatedAt;
  last_login_at: Timestamp | null;
}

/** sessions: browser logins; the token itself is never stored, only its SHA-256. */
export interface SessionTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

/** applications (应用系统): an organisation's systems that call the API. */
export interface ApplicationTable {
  id: string;
  org_id: string;
  name: string;
  description: string;
  created_at: CreatedAt;
}

/** api_keys: credentials of applications, stored hashed. */
export interface ApiKeyTable {
  id: string;
  application_id: string;
  name: string;
  key_id: string;
  key_hash: string;
  roles: string[];
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** Suspended by an early-warning response (docs/warning.md); null once resumed. */
  suspended_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  last_used_at: Timestamp | null;
}

/** login_throttle: failed logins per account (hashed username) and per client address. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failed_at: Timestamp;
  blocked_until: Timestamp | null;
}

/** scram_verifiers: SCRAM-SHA-256 verifiers of passwords and API keys, for the PostgreSQL wire protocol. */
export interface ScramVerifierTable {
  subject: string;
  subject_id: string;
  login: string;
  salt: string;
  iterations: number;
  stored_key: string;
  server_key: string;
  created_at: CreatedAt;
}

/** The identity module's tables. */
export interface IdentityTables {
  organizations: OrganizationTable;
  users: UserTable;
  sessions: SessionTable;
  applications: ApplicationTable;
  api_keys: ApiKeyTable;
  login_throttle: LoginThrottleTable;
  scram_verifiers: ScramVerifierTable;
}
