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

/** The latest alert not resolved of one rule and subject, as the batch holds it. */
interface Held {
  id: string;
  rule: string;
  severity: string;
  subject: string;
  count: number;
  entries: number[];
  firstIndex: number;
  lastIndex: number;
  firstSeen: Date;
  lastSeen: Date;
  summary: string;
  details: Record<string, unknown>;
  /** Changed by the batch and not yet written. */
  dirty: boolean;
}

/** An alert a batch grouped findings into: what changed, for NATS once the evaluation commits. */
export interface GroupedAlert {
  id: string;
  rule: string;
  severity: string;
  subject: string;
  summary: string;
  count: number;
  lastSeen: string;
}

/**
 * Groups the findings of one batch into alerts. A finding joins the open or acknowledged alert of
 * the same rule and subject last seen within the rule's grouping window (its count and entries
 * grow), or opens a new alert and leaves a notification for every security officer. The latest
 * alert of each rule and subject is read once per batch and kept here; the grown ones are written
 * once, by `flush`, before the cursor moves (in the same transaction).
 */
export class AlertGrouper {
  private readonly held = new Map<string, Held | null>();
  /** The security officers, read once per batch (at its first new alert). */
  private officers: Promise<{ orgId: string; userId: string }[]> | undefined;

  constructor(private readonly db: Db) {}

  /** Groups a finding; returns the alert when it is new. */
  async raise(finding: Finding, rule: ActiveRule): Promise<RaisedAlert | undefined> {
    const since = finding.time.getTime() - rule.settings.groupMinutes! * 60_000;
    const latest = await this.latest(finding.rule, finding.subject);
    if (latest && latest.lastSeen.getTime() >= since) {
      latest.count++;
      if (latest.entries.length < MAX_ALERT_ENTRIES)
        latest.entries = [...new Set([...latest.entries, ...finding.entries])].slice(0, MAX_ALERT_ENTRIES);
      latest.firstIndex = Math.min(latest.firstIndex, ...finding.entries);
      latest.lastIndex = Math.max(latest.lastIndex, ...finding.entries);
      if (finding.time > latest.lastSeen) latest.lastSeen = finding.time;
      latest.summary = finding.summary;
      latest.details = finding.details;
      latest.dirty = true;
      return undefined;
    }
    return this.open(finding, rule);
  }

  /** Writes the alerts the batch grew; returns them. */
  async flush(): Promise<GroupedAlert[]> {
    const grown: GroupedAlert[] = [];
    const now = new Date();
    for (const alert of this.held.values()) {
      if (!alert?.dirty) continue;
      alert.dirty = false;
      await this.db
        .updateTable('warning_alerts')
        .set({
          count: alert.count,
          entries: JSON.stringify(alert.entries),
          first_index: alert.firstIndex,
          last_index: alert.lastIndex,
          last_seen: alert.lastSeen,
          summary: alert.summary,
          details: JSON.stringify(alert.details),
          updated_at: now,
        })
        .where('id', '=', alert.id)
        .execute();
      grown.push({
        id: alert.id,
        rule: alert.rule,
        severity: alert.severity,
        subject: alert.subject,
        summary: alert.summary,
        count: alert.count,
        lastSeen: alert.lastSeen.toISOString(),
      });
    }
    return grown;
  }

  /** The latest alert not resolved of a rule and subject (read once per batch). */
  private async latest(rule: string, subject: string): Promise<Held | null> {
    const key = `${rule}|${subject}`;
    const known = this.held.get(key);
    if (known !== undefined) return known;
    const row = await this.db
      .selectFrom('warning_alerts')
      .select([
        'id',
        'severity',
        'count',
        'entries',
        'first_index',
        'last_index',
        'first_seen',
        'last_seen',
        'summary',
        'details',
      ])
      .where('rule', '=', rule)
      .where('subject', '=', subject)
      .where('status', '!=', 'resolved')
      .orderBy('last_seen', 'desc')
      .limit(1)
      .executeTakeFirst();
    const held: Held | null = row
      ? {
          id: row.id,
          rule,
          severity: row.severity,
          subject,
          count: row.count,
          entries: row.entries,
          firstIndex: Number(row.first_index),
          lastIndex: Number(row.last_index),
          firstSeen: row.first_seen,
          lastSeen: row.last_seen,
          summary: row.summary,
          details: row.details as Record<string, unknown>,
          dirty: false,
        }
      : null;
    this.held.set(key, held);
    return held;
  }

  private async open(finding: Finding, rule: ActiveRule): Promise<RaisedAlert> {
    const id = randomUUID();
    const now = new Date();
    const entries = [...new Set(finding.entries)].slice(0, MAX_ALERT_ENTRIES);
    const firstIndex = Math.min(...entries);
    const lastIndex = Math.max(...entries);
    await this.db
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
        first_index: firstIndex,
        last_index: lastIndex,
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
    this.held.set(`${finding.rule}|${finding.subject}`, {
      id,
      rule: finding.rule,
      severity: rule.severity,
      subject: finding.subject,
      count: 1,
      entries,
      firstIndex,
      lastIndex,
      firstSeen: finding.time,
      lastSeen: finding.time,
      summary: finding.summary,
      details: finding.details,
      dirty: false,
    });
    this.officers ??= securityOfficers(this.db);
    await notifyOfficers(this.db, await this.officers, {
      id,
      severity: rule.severity,
      summary: finding.summary,
    });
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
  officers: { orgId: string; userId: string }[],
  alert: { id: string; severity: string; summary: string },
): Promise<void> {
  for (const to of officers)
    await notify(db, to, {
      kind: 'warning.alert',
      title: `安全预警（${SEVERITY_ZH[alert.severity] ?? alert.severity}）：${alert.summary}`.slice(0, 200),
      body: `预警编号 ${alert.id}，请在预警中心确认处置。`,
    });
}
