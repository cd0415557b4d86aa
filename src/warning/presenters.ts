import type { Selectable } from 'kysely';
import type { WarningAlertTable } from '../store/index.js';
import { RULES } from './rules.js';
import type { AlertEvent, AlertStatus, AlertView, RuleId, Severity } from './schemas.js';

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

/**
 * The events of an alert's life, each with the person who acted (by display name from `names`):
 * opened, the automatic response and its undoing, acknowledged, resolved.
 */
export function presentAlertEvents(
  row: Selectable<WarningAlertTable>,
  names: Map<string, string>,
): AlertEvent[] {
  const base = {
    alertId: row.id,
    rule: row.rule as RuleId,
    title: RULES[row.rule as RuleId]?.title ?? row.rule,
    severity: row.severity as Severity,
    summary: row.summary,
  };
  const who = (id: string | null) => (id ? (names.get(id) ?? id) : null);
  const events: AlertEvent[] = [
    { ...base, at: row.created_at.toISOString(), kind: 'opened', by: null, note: null },
  ];
  if (row.response) {
    events.push({ ...base, at: row.response.at, kind: 'responded', by: null, note: null });
    if (row.response.undoneAt)
      events.push({
        ...base,
        at: row.response.undoneAt,
        kind: 'response_undone',
        by: who(row.response.undoneBy),
        note: null,
      });
  }
  if (row.acknowledged_at)
    events.push({
      ...base,
      at: row.acknowledged_at.toISOString(),
      kind: 'acknowledged',
      by: who(row.acknowledged_by),
      // The note moves on to the resolution's once resolved.
      note: row.resolved_at ? null : row.note,
    });
  if (row.resolved_at)
    events.push({
      ...base,
      at: row.resolved_at.toISOString(),
      kind: 'resolved',
      by: who(row.resolved_by),
      note: row.note,
    });
  return events;
}
