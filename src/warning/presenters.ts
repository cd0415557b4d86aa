import type { Selectable } from 'kysely';
import type { WarningAlertTable } from '../store/index.js';
import type { AlertStatus, AlertView, RuleId, Severity } from './schemas.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The view of an alert row. */
export function presentAlert(row: Selectable<WarningAlertTable>): AlertView {
  return {
    id: row.id,
    rule: row.rule as RuleId,
    severity: row.severity as Severity,
    subject: row.subject,
    subjectOrgId: row.subject_org_id,
    summary: row.summary,
    details: row.details,
    status: row.status as AlertStatus,
    count: row.count,
    entries: row.entries,
    firstIndex: Number(row.first_index),
    lastIndex: Number(row.last_index),
    firstSeen: row.first_seen.toISOString(),
    lastSeen: row.last_seen.toISOString(),
    assigneeId: row.assignee_id,
    acknowledgedBy: row.acknowledged_by,
    acknowledgedAt: iso(row.acknowledged_at),
    resolvedBy: row.resolved_by,
    resolvedAt: iso(row.resolved_at),
    note: row.note,
    response: row.response ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
