import type { Kysely } from 'kysely';
import { BadRequestError } from '../../errors/index.js';
import { type Actor, authorize, isAllowed } from '../../identity/index.js';
import type { Database } from '../../store/index.js';
import { loadCalendar } from '../calendar-store.js';
import { loadRules } from '../rules.js';
import { INDICATORS, type IndicatorValue, WEIGHTS } from './indicators.js';
import { monthBounds, monthOf, previousMonth } from './month.js';
import {
  type AssessmentQuery,
  type AssessmentReport,
  AssessmentReportSchema,
  type DepartmentAssessment,
  IndicatorKeySchema,
} from './schemas.js';

type Db = Kysely<Database>;

const round1 = (n: number) => Math.round(n * 10) / 10;

/** Computes a month's assessment of every department, as of its end (or now while it runs). */
export async function computeAssessment(db: Db, month: string, now = new Date()): Promise<AssessmentReport> {
  const bounds = monthBounds(month);
  const asOf = now < bounds.to ? now : bounds.to;
  const [calendar, rules] = await Promise.all([loadCalendar(db), loadRules(db)]);
  const ctx = { db, bounds, asOf, calendar, rules };
  const values = new Map<string, Map<string, IndicatorValue>>();
  for (const key of IndicatorKeySchema.options) {
    values.set(key, await INDICATORS[key](ctx));
  }
  const orgIds = new Set([...values.values()].flatMap((m) => [...m.keys()]));
  const orgs =
    orgIds.size === 0
      ? []
      : await db
          .selectFrom('organizations')
          .select(['id', 'name'])
          .where('id', 'in', [...orgIds])
          .execute();
  const departments: DepartmentAssessment[] = orgs.map((org) => {
    const indicators = IndicatorKeySchema.options.map((key) => {
      const v = values.get(key)?.get(org.id);
      return { key, weight: WEIGHTS[key], score: v?.score ?? null, detail: v?.detail ?? {} };
    });
    const scored = indicators.filter((i) => i.score !== null);
    const weight = scored.reduce((sum, i) => sum + i.weight, 0);
    const score =
      weight === 0 ? null : round1(scored.reduce((sum, i) => sum + i.weight * i.score!, 0) / weight);
    return { orgId: org.id, orgName: org.name, score, rank: null, indicators };
  });
  departments.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.orgName.localeCompare(b.orgName, 'zh'));
  let rank = 0;
  let last: number | null = null;
  departments.forEach((d, i) => {
    if (d.score === null) return;
    if (d.score !== last) rank = i + 1;
    last = d.score;
    d.rank = rank;
  });
  return {
    month,
    from: bounds.from.toISOString(),
    to: bounds.to.toISOString(),
    generatedAt: now.toISOString(),
    final: now >= bounds.to,
    weights: WEIGHTS,
    departments,
  };
}

/**
 * A closed month's report as kept at its close, computed and kept on first use; the running
 * month computed afresh. Several processes closing the same month keep the first one's.
 */
export async function monthReport(db: Db, month: string, now = new Date()): Promise<AssessmentReport> {
  const bounds = monthBounds(month);
  if (bounds.from > now)
    throw new BadRequestError('invalid_period', `${month} has not begun`, { field: 'month' });
  if (now < bounds.to) return computeAssessment(db, month, now);
  const kept = await db
    .selectFrom('assessment_reports')
    .select('report')
    .where('month', '=', month)
    .executeTakeFirst();
  if (kept) return AssessmentReportSchema.parse(kept.report);
  const report = await computeAssessment(db, month, now);
  await db
    .insertInto('assessment_reports')
    .values({ month, report: JSON.stringify(report), generated_at: now })
    .onConflict((oc) => oc.column('month').doNothing())
    .execute();
  const stored = await db
    .selectFrom('assessment_reports')
    .select('report')
    .where('month', '=', month)
    .executeTakeFirstOrThrow();
  return AssessmentReportSchema.parse(stored.report);
}

/**
 * The month's assessment as the caller may see it: the platform administrator and the auditor
 * every department; an organisation's administrator or security officer its own (with its rank).
 */
export async function assessment(
  db: Db,
  actor: Actor,
  query: AssessmentQuery,
  now = new Date(),
): Promise<AssessmentReport> {
  const caller = authorize(actor, 'assessment.read', { orgId: query.orgId, noun: 'Organization' });
  const report = await monthReport(db, query.month, now);
  const everyone = isAllowed(actor, 'assessment.read', { orgId: '-' });
  const orgId = query.orgId ?? (everyone ? undefined : caller.orgId);
  return orgId ? { ...report, departments: report.departments.filter((d) => d.orgId === orgId) } : report;
}

/** Closes last month when it has ended (the sweep calls it, so that the report is kept at the close). */
export async function closeLastMonth(db: Db, now = new Date()): Promise<string> {
  const last = previousMonth(monthOf(now));
  await monthReport(db, last, now);
  return last;
}
