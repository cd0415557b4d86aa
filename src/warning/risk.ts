import type { Kysely } from 'kysely';
import { type Actor, authorize } from '../identity/index.js';
import type { Database } from '../store/index.js';
import { RULES } from './rules.js';
import { type RiskScore, type RuleId, RuleIdSchema, SeveritySchema } from './schemas.js';

/** How many points one alert of a severity adds to its consumer's risk, when fresh and open. */
export const SEVERITY_POINTS = { low: 5, medium: 15, high: 30, critical: 50 } as const;
/** The look back of the score: alerts first seen earlier do not count. */
export const RISK_DAYS = 30;
/** An alert's points halve every this many days since it was last seen. */
export const RISK_HALF_LIFE_DAYS = 7;
/** A resolved alert counts for this share of its points (it was real, but dealt with). */
export const RESOLVED_SHARE = 0.5;

const DAY = 86_400_000;

/** The level a score reads as: none below 1, low below 30, medium below 60, high from 60. */
export function riskLevel(score: number): RiskScore['level'] {
  if (score < 1) return 'none';
  if (score < 30) return 'low';
  return score < 60 ? 'medium' : 'high';
}

/**
 * An application's risk score: the alerts of the last RISK_DAYS days about it (as a consumer,
 * `application:<id>`, or about one of its keys, `key:<id>/…`), each worth SEVERITY_POINTS of its
 * severity, halved every RISK_HALF_LIFE_DAYS since it was last seen, and by half again once
 * resolved; the sum, capped at 100. Each rule behind it is listed with its alerts and points, so a
 * steward reviewing the application's request sees why (docs/warning.md).
 */
export async function applicationRisk(
  db: Kysely<Database>,
  actor: Actor,
  applicationId: string,
  now = new Date(),
): Promise<RiskScore> {
  authorize(actor, 'warning.risk');
  const rows = await db
    .selectFrom('warning_alerts')
    .select(['rule', 'severity', 'status', 'last_seen'])
    .where((eb) =>
      eb.or([
        eb('subject', '=', `application:${applicationId}`),
        eb('subject', 'like', `key:${applicationId.replace(/[\\%_]/g, '\\$&')}/%`),
      ]),
    )
    .where('first_seen', '>=', new Date(now.getTime() - RISK_DAYS * DAY))
    .execute();
  const byRule = new Map<RuleId, { alerts: number; points: number; lastSeen: Date }>();
  for (const row of rows) {
    const severity = SeveritySchema.safeParse(row.severity);
    const rule = RuleIdSchema.safeParse(row.rule);
    if (!severity.success || !rule.success) continue;
    const age = Math.max(0, now.getTime() - row.last_seen.getTime()) / DAY;
    const points =
      SEVERITY_POINTS[severity.data] *
      0.5 ** (age / RISK_HALF_LIFE_DAYS) *
      (row.status === 'resolved' ? RESOLVED_SHARE : 1);
    const reason = byRule.get(rule.data) ?? { alerts: 0, points: 0, lastSeen: row.last_seen };
    reason.alerts++;
    reason.points += points;
    if (row.last_seen > reason.lastSeen) reason.lastSeen = row.last_seen;
    byRule.set(rule.data, reason);
  }
  const reasons = [...byRule]
    .map(([rule, r]) => ({
      rule,
      title: RULES[rule].title,
      alerts: r.alerts,
      points: Math.round(r.points * 10) / 10,
      lastSeen: r.lastSeen.toISOString(),
    }))
    .sort((a, b) => b.points - a.points);
  const score = Math.min(100, Math.round(reasons.reduce((sum, r) => sum + r.points, 0)));
  return { applicationId, score, level: riskLevel(score), days: RISK_DAYS, reasons };
}
