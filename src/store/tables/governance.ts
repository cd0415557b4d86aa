import type { ColumnType } from 'kysely';

// The day as text `YYYY-MM-DD` (one parse on both PGlite and pg).
type Day = ColumnType<string, string, string>;

/** calendar_overrides: an administrator's local holiday or extra working day (工作日历调整). */
export interface CalendarOverrideTable {
  day: Day;
  kind: 'holiday' | 'workday';
  reason: string;
  set_by: string;
  set_at: ColumnType<Date, Date | undefined, Date>;
}

/** deadline_rules: working days allowed for a step (时限), one row per change, newest in force. */
export interface DeadlineRuleTable {
  id: string;
  step: string;
  sharing_type: string;
  grade: string;
  working_days: number;
  set_by: string;
  set_at: Date;
}

/** deadline_events: a reminder or escalation sent for a subject's deadline, once each. */
export interface DeadlineEventTable {
  step: string;
  subject_id: string;
  kind: 'reminded' | 'escalated' | 'escalated_platform';
  at: Date;
}

type Json<T> = ColumnType<T, string, string>;

/** An item a demand expects (期望的数据项). */
export interface StoredDemandItem {
  name: string;
  description: string;
}

/** demands: the demand list (需求清单), data a consumer needs that the catalog lacks. */
export interface DemandTable {
  id: string;
  title: string;
  description: string;
  purpose: string;
  legal_basis: string;
  items: Json<StoredDemandItem[]>;
  suggested_org_id: string | null;
  requester_org_id: string;
  requested_by: string;
  status: string;
  assigned_org_id: string | null;
  assigned_at: Date | null;
  answer_kind: string | null;
  answer_resource_id: string | null;
  answer_text: string | null;
  answered_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  search_doc: string;
}

/** demand_events: each step of a demand's history, who took it and why. */
export interface DemandEventTable {
  id: string;
  demand_id: string;
  kind: string;
  actor_id: string;
  actor_org_id: string | null;
  org_id: string | null;
  resource_id: string | null;
  text: string;
  at: Date;
}

/** The governance module's tables. */
export interface GovernanceTables {
  demands: DemandTable;
  demand_events: DemandEventTable;
  calendar_overrides: CalendarOverrideTable;
  deadline_rules: DeadlineRuleTable;
  deadline_events: DeadlineEventTable;
}
