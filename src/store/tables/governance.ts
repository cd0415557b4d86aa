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

/** The governance module's tables. */
export interface GovernanceTables {
  calendar_overrides: CalendarOverrideTable;
  deadline_rules: DeadlineRuleTable;
  deadline_events: DeadlineEventTable;
}
