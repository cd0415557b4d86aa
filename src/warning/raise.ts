import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { notify } from '../sharing/index.js';
import type { Database } from '../store/index.js';
import type { Finding } from './detectors/index.js';
import type { ActiveRule } from './settings.js';

type Db = Kysely<Database>;

/** The most entry indexes an alert keeps (its range and count say the rest). */
export const MAX_ALERT_ENTRIES = 100;

/** An alert opened by a finding, for the notifications sent once the evaluation commits. */
export interface RaisedAlert {
  id: string;
  rule: string;
  severity: string;
  subject: string;
  summary: string;
  firstSeen: string;
  /** The automatic response to take once the evaluation commits. */
  response?: { kind: 'suspend_key' | 'suspend_grant'; target: string };
}

/** The response a rule takes on a new alert, when the finding points at what it suspends. */
function plannedResponse(finding: Finding, rule: ActiveRule): RaisedAlert['response'] {
  if (rule.response === 'suspend_key' && finding.keyId) return { kind: 'suspend_key', target: finding.keyId };
  if (rule.response === 'suspend_grant' && finding.grantId)
    return { kind: 'suspend_grant', target: finding.grantId };
  return undefined;
}

/**
 * Groups a finding into the open or acknowledged alert of the same rule and subject last seen
 * within the rule's grouping window (its count and entries grow), or opens a new alert and leaves
 * a notification for every security officer. Returns the alert when it is new.
 */
export async function raiseFinding(
  db: Db,
  finding: Finding,
  rule: ActiveRule,
): Promise<RaisedAlert | undefined> {
  const since = new Date(finding.time.getTime() - rule.settings.groupMinutes! * 60_000);
  const existing = await db
    .selectFrom('warning_alerts')
    .select(['id', 'count', 'entries', 'first_index', 'last_index', 'last_seen'])
    .where('rule', '=', finding.rule)
    .where('subject', '=', finding.subject)
    .where('status', '!=', 'resolved')
    .where('last_seen', '>=', since)
    .orderBy('last_seen', 'desc')
    .limit(1)
    .executeTakeFirst();
  const now = new Date();
  if (existing) {
    const entries = [...new Set([...existing.entries, ...finding.entries])].slice(0, MAX_ALERT_ENTRIES);
    await db
      .updateTable('warning_alerts')
      .set({
        count: existing.count + 1,
        entries: JSON.stringify(entries),
        first_index: Math.min(existing.first_index, ...finding.entries),
        last_index: Math.max(existing.last_index, ...finding.entries),
        last_seen: new Date(Math.max(finding.time.getTime(), existing.last_seen.getTime())),
        summary: finding.summary,
        details: JSON.stringify(finding.details),
        updated_at: now,
      })
      .where('id', '=', existing.id)
      .execute();
    return undefined;
  }
  const id = randomUUID();
  const entries = [...new Set(finding.entries)].slice(0, MAX_ALERT_ENTRIES);
  await db
    .insertInto('warning_alerts')
    .values({
      id,
      rule: finding.rule,
      severity: rule.severity,
      subject: finding.subject,
      subject_org_id: finding.subjectOrgId,
      summary: finding.summary,
      details: JSON.stringify(finding.details),
      status: 'open',
      count: 1,
      entries: JSON.stringify(entries),
      first_index: Math.min(...entries),
      last_index: Math.max(...entries),
      first_seen: finding.time,
      last_seen: finding.time,
      assignee_id: null,
      acknowledged_by: null,
      acknowledged_at: null,
      resolved_by: null,
      resolved_at: null,
      note: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await notifyOfficers(db, { id, severity: rule.severity, summary: finding.summary });
  return {
    id,
    rule: finding.rule,
    severity: rule.severity,
    subject: finding.subject,
    summary: finding.summary,
    firstSeen: finding.time.toISOString(),
    response: plannedResponse(finding, rule),
  };
}

const SEVERITY_ZH: Record<string, string> = { low: '低', medium: '中', high: '高', critical: '严重' };

/** Every active security officer, wherever their organisation. */
export async function securityOfficers(db: Db): Promise<{ orgId: string; userId: string }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'org_id', 'roles'])
    .where('disabled', '=', false)
    .execute();
  return rows
    .filter((u) => u.roles.includes('security_officer'))
    .map((u) => ({ orgId: u.org_id, userId: u.id }));
}

/** Leaves the console notification of a new alert (the badge) for each security officer. */
async function notifyOfficers(
  db: Db,
  alert: { id: string; severity: string; summary: string },
): Promise<void> {
  for (const to of await securityOfficers(db))
    await notify(db, to, {
      kind: 'warning.alert',
      title: `安全预警（${SEVERITY_ZH[alert.severity] ?? alert.severity}）：${alert.summary}`.slice(0, 200),
      body: `预警编号 ${alert.id}，请在预警中心确认处置。`,
    });
}
