import type { ColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

/** A granted item and its mask, as stored in `grants.items` and `open_releases.items`. */
export interface StoredGrantItem {
  name: string;
  mask: { kind: string; [option: string]: unknown };
}

/** access_requests (共享申请): an analyst's request, for one of its applications, to read a resource. */
export interface AccessRequestTable {
  id: string;
  application_id: string;
  consumer_org_id: string;
  resource_id: string;
  resource_code: string;
  resource_name: string;
  provider_id: string;
  grade: string;
  items: Json<string[]>;
  purpose: string;
  legal_basis: string;
  use: string;
  valid_from: Timestamp;
  valid_until: Timestamp;
  expected_calls_per_day: number | null;
  expected_rows_per_day: number | null;
  attachments: Json<unknown[]>;
  status: string;
  /** The role that must act next, and since when (null once decided). */
  next_role: string | null;
  waiting_since: Timestamp | null;
  /** The terms the approvers have agreed so far (a later step may narrow them). */
  terms: Json<unknown> | null;
  rejection_reason: string | null;
  rejection_text: string | null;
  grant_id: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** access_request_steps: the approval steps of a request, in order. */
export interface AccessRequestStepTable {
  request_id: string;
  seq: number;
  role: string;
  status: string;
  actor_id: string | null;
  comment: string;
  started_at: Timestamp | null;
  acted_at: Timestamp | null;
}

/** grants (授权): who may read which items of which rows of a resource, for what, until when. */
export interface GrantTable {
  id: string;
  request_id: string | null;
  origin: string;
  /** Set on automatic grants only, so that one holder gets one automatic grant per resource. */
  auto_key: string | null;
  application_id: string | null;
  consumer_org_id: string;
  resource_id: string;
  resource_code: string;
  provider_id: string;
  items: Json<StoredGrantItem[]>;
  row_filter: Json<unknown[]>;
  purpose: string;
  use: string;
  valid_from: Timestamp;
  valid_until: Timestamp | null;
  calls_per_day: number | null;
  rows_per_day: number | null;
  allowed_ips: string[];
  may_export: boolean;
  /** ε a `statistics` grant may spend per day (Asia/Shanghai) and in all; null for other uses. */
  epsilon_per_day: number | null;
  epsilon_total: number | null;
  /** A `sandbox` grant whose answers are noised: ε of each released aggregate; null: exact answers. */
  sandbox_epsilon: number | null;
  status: string;
  status_reason: string;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** grant_usage: calls and rows per grant per day (Asia/Shanghai), incremented atomically. */
export interface GrantUsageTable {
  grant_id: string;
  day: string;
  calls: number;
  row_count: number;
}

/** privacy_budget_spends: ε spent under a `statistics` grant, in millionths, today and in all. */
export interface PrivacyBudgetSpendTable {
  grant_id: string;
  day: string;
  day_micro: number;
  total_micro: number;
}

/** notifications: messages to a user, or to the holders of a role in an organisation. */
export interface NotificationTable {
  id: string;
  recipient_org_id: string;
  recipient_user_id: string | null;
  recipient_role: string | null;
  kind: string;
  title: string;
  body: string;
  access_request_id: string | null;
  grant_id: string | null;
  created_at: CreatedAt;
  read_at: Timestamp | null;
}

/** licence_acceptances: who accepted a 有条件开放 resource's licence. */
export interface LicenceAcceptanceTable {
  resource_id: string;
  /** `user:<id>` or `application:<id>`. */
  accepter: string;
  licence: string;
  accepted_at: CreatedAt;
}

/** open_releases: which items of an open resource go out, and masked how. */
export interface OpenReleaseTable {
  resource_id: string;
  items: Json<StoredGrantItem[]>;
  updated_by: string | null;
  updated_at: Timestamp;
  /** The quasi-identifiers (item names) of the k-anonymity gate; null: no gate configured. */
  quasi_identifiers: ColumnType<string[] | null, string | null, string | null>;
  k: number | null;
}

/** verification_limits: claims checked per consumer and resource, this minute's window and today. */
export interface VerificationLimitTable {
  /** `org:<id>`, or `ip:<address>` for anonymous callers. */
  consumer: string;
  resource_id: string;
  window_start: Timestamp;
  window_count: number;
  day: string;
  day_count: number;
}

/** The sharing module's tables. */
export interface SharingTables {
  access_requests: AccessRequestTable;
  access_request_steps: AccessRequestStepTable;
  grants: GrantTable;
  grant_usage: GrantUsageTable;
  notifications: NotificationTable;
  licence_acceptances: LicenceAcceptanceTable;
  open_releases: OpenReleaseTable;
  verification_limits: VerificationLimitTable;
  privacy_budget_spends: PrivacyBudgetSpendTable;
}
