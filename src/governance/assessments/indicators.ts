import type { Kysely } from 'kysely';
import type { Database } from '../../store/index.js';
import type { WorkingCalendar } from '../calendar.js';
import { deadlineClock, requestClock } from '../clock.js';
import type { RuleBook } from '../rules.js';
import type { DeadlineClock } from '../schemas.js';
import type { MonthBounds } from './month.js';
import type { IndicatorKey } from './schemas.js';

type Db = Kysely<Database>;

/** What every indicator is computed from: the month, the instant it is measured at, the calendar. */
export interface IndicatorContext {
  db: Db;
  bounds: MonthBounds;
  /** The month's end, or now while it runs. */
  asOf: Date;
  calendar: WorkingCalendar;
  rules: RuleBook;
}

/** One department's value of an indicator. */
export interface IndicatorValue {
  score: number | null;
  detail: Record<string, number | null>;
}

/** Computes one indicator for every department it applies to, by organisation id. */
export type IndicatorFn = (ctx: IndicatorContext) => Promise<Map<string, IndicatorValue>>;

const percent = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;

/**
 * Tallies clocks that ended in the month, per department: answered in it (on time or not), or
 * overdue in it; and the response time, the mean working days its answers took (办理用时).
 */
function tallyClocks(clocks: { org: string; clock: DeadlineClock }[], bounds: MonthBounds, asOf: Date) {
  const byOrg = new Map<string, { answered: number; onTime: number; overdue: number; days: number }>();
  for (const { org, clock } of clocks) {
    const answeredAt = clock.answeredAt ? new Date(clock.answeredAt) : null;
    const dueAt = new Date(clock.dueAt);
    const answered = answeredAt !== null && answeredAt >= bounds.from && answeredAt < asOf;
    // Fell overdue in the month and still unanswered at its end (a late answer in the month counts as answered).
    const overdue = dueAt >= bounds.from && dueAt <= asOf && (answeredAt === null || answeredAt >= asOf);
    if (!answered && !overdue) continue;
    const o = byOrg.get(org) ?? { answered: 0, onTime: 0, overdue: 0, days: 0 };
    if (answered) o.answered++;
    // At the answer, the clock holds the working days left to its due day: the rest were used.
    if (answered) o.days += clock.workingDays - clock.remainingWorkingDays;
    if (answered && clock.state === 'answered_on_time') o.onTime++;
    if (overdue) o.overdue++;
    byOrg.set(org, o);
  }
  return new Map(
    [...byOrg].map(([org, o]): [string, IndicatorValue] => [
      org,
      {
        score: percent(o.onTime, o.answered + o.overdue),
        detail: {
          answered: o.answered,
          onTime: o.onTime,
          overdue: o.overdue,
          averageWorkingDays: o.answered === 0 ? null : Math.round((o.days / o.answered) * 10) / 10,
        },
      },
    ]),
  );
}

/** A published entry's checks: what a catalog entry must say to be usable (国家政务信息资源目录编制指南). */
function completenessChecks(r: {
  summary: string;
  items: { description: string }[];
  sharing_type: string;
  legal_basis: string;
  contact: { name: string; phone: string };
  keywords: string[];
}): boolean[] {
  return [
    r.summary.trim().length >= 10,
    r.items.length > 0 && r.items.every((i) => i.description.trim().length > 0),
    r.sharing_type === 'unconditional' || r.legal_basis.trim().length > 0,
    r.contact.name.trim().length > 0 && r.contact.phone.trim().length > 0,
    r.keywords.length > 0,
  ];
}

/** 目录完整性: the share of the checks its entries published by the month's end pass (as they read now). */
export const catalogCompleteness: IndicatorFn = async ({ db, asOf }) => {
  const rows = await db
    .selectFrom('resources')
    .select(['provider_id', 'summary', 'items', 'sharing_type', 'legal_basis', 'contact', 'keywords'])
    .where('status', '=', 'published')
    .where('published_at', '<', asOf)
    .execute();
  const byOrg = new Map<string, { passed: number; checks: number; entries: number; complete: number }>();
  for (const r of rows) {
    const checks = completenessChecks(r);
    const passed = checks.filter(Boolean).length;
    const o = byOrg.get(r.provider_id) ?? { passed: 0, checks: 0, entries: 0, complete: 0 };
    o.passed += passed;
    o.checks += checks.length;
    o.entries++;
    if (passed === checks.length) o.complete++;
    byOrg.set(r.provider_id, o);
  }
  return new Map(
    [...byOrg].map(([org, o]) => [
      org,
      { score: percent(o.passed, o.checks), detail: { entries: o.entries, complete: o.complete } },
    ]),
  );
};

/** An entry counts as current when its latest version is at most this old (the yearly 目录更新). */
export const CATALOG_CURRENT_DAYS = 365;

/** 目录及时性: the share of its published entries whose latest version is at most a year old. */
export const catalogTimeliness: IndicatorFn = async ({ db, asOf }) => {
  const rows = await db
    .selectFrom('resources as r')
    .innerJoin('resource_versions as v', 'v.resource_id', 'r.id')
    .select(['r.provider_id', 'r.id'])
    .select((eb) => eb.fn.max('v.published_at').as('latest'))
    .where('r.status', '=', 'published')
    .where('v.published_at', '<', asOf)
    .groupBy(['r.provider_id', 'r.id'])
    .execute();
  const since = asOf.getTime() - CATALOG_CURRENT_DAYS * 86_400_000;
  const byOrg = new Map<string, { entries: number; current: number }>();
  for (const r of rows) {
    const o = byOrg.get(r.provider_id) ?? { entries: 0, current: 0 };
    o.entries++;
    if (new Date(r.latest as unknown as string).getTime() >= since) o.current++;
    byOrg.set(r.provider_id, o);
  }
  return new Map(
    [...byOrg].map(([org, o]) => [org, { score: percent(o.current, o.entries), detail: { ...o } }]),
  );
};

/**
 * 申请响应: of the access requests whose clock ended in the month — answered in it, or falling
 * overdue in it without an answer by the month's end — the share answered on time.
 */
export const requestResponse: IndicatorFn = async ({ db, bounds, asOf, calendar, rules }) => {
  const rows = await db
    .selectFrom('access_requests')
    .select(['provider_id', 'created_at', 'updated_at', 'grade', 'status'])
    .where('status', '!=', 'withdrawn')
    .where('created_at', '<', bounds.to)
    .where((eb) => eb.or([eb('status', '=', 'pending'), eb('updated_at', '>=', bounds.from)]))
    .execute();
  const clocks = rows.map((r) => ({
    org: r.provider_id,
    clock: requestClock(
      { createdAt: r.created_at, grade: r.grade, status: r.status, updatedAt: r.updated_at },
      calendar,
      rules,
      asOf,
    ),
  }));
  return tallyClocks(clocks, bounds, asOf);
};

/** 资源使用: the share of its shared entries that some consumer read during the month. */
export const resourceUse: IndicatorFn = async ({ db, bounds }) => {
  const shared = await db
    .selectFrom('resources')
    .select(['provider_id', 'id'])
    .where('status', '=', 'published')
    .where('sharing_type', '!=', 'not_shared')
    .where('published_at', '<', bounds.to)
    .execute();
  const used = await db
    .selectFrom('grant_usage as u')
    .innerJoin('grants as g', 'g.id', 'u.grant_id')
    .select(['g.provider_id', 'g.resource_id', 'g.consumer_org_id'])
    .select((eb) => [eb.fn.sum<number>('u.calls').as('calls'), eb.fn.sum<number>('u.row_count').as('rows')])
    .where('u.day', '>=', bounds.firstDay)
    .where('u.day', '<', bounds.nextDay)
    .groupBy(['g.provider_id', 'g.resource_id', 'g.consumer_org_id'])
    .execute();
  const byOrg = new Map<
    string,
    { resources: number; used: Set<string>; consumers: Set<string>; calls: number; rows: number }
  >();
  const of = (org: string) => {
    const o = byOrg.get(org) ?? { resources: 0, used: new Set(), consumers: new Set(), calls: 0, rows: 0 };
    byOrg.set(org, o);
    return o;
  };
  for (const r of shared) of(r.provider_id).resources++;
  const sharedIds = new Set(shared.map((r) => r.id));
  for (const u of used) {
    const o = of(u.provider_id);
    if (Number(u.calls) > 0 && sharedIds.has(u.resource_id)) o.used.add(u.resource_id);
    o.consumers.add(u.consumer_org_id);
    o.calls += Number(u.calls);
    o.rows += Number(u.rows);
  }
  return new Map(
    [...byOrg].map(([org, o]) => [
      org,
      {
        score: percent(o.used.size, o.resources),
        detail: {
          resources: o.resources,
          used: o.used.size,
          consumers: o.consumers.size,
          calls: o.calls,
          rows: o.rows,
        },
      },
    ]),
  );
};

/**
 * 异议处理: of the objections whose clock ended in the month — answered in it, or falling overdue
 * in it without an answer by its end — the share answered on time (a reopened one counts from its
 * reopening).
 */
export const objectionsHandled: IndicatorFn = async ({ db, bounds, asOf, calendar, rules }) => {
  const rows = await db
    .selectFrom('objections')
    .select(['provider_id', 'filed_at', 'answered_at'])
    .where('filed_at', '<', bounds.to)
    .where((eb) => eb.or([eb('answered_at', 'is', null), eb('answered_at', '>=', bounds.from)]))
    .execute();
  const clocks = rows.map((r) => ({
    org: r.provider_id,
    clock: deadlineClock(
      {
        step: 'objection',
        sharingType: 'any',
        grade: 'any',
        startedAt: r.filed_at,
        answeredAt: r.answered_at,
        stoppedAt: null,
      },
      calendar,
      rules,
      asOf,
    ),
  }));
  return tallyClocks(clocks, bounds, asOf);
};

/** 数据质量: the mean of each resource's latest successful quality score at the month's end. */
export const dataQuality: IndicatorFn = async ({ db, asOf }) => {
  const runs = await db
    .selectFrom('quality_runs')
    .select(['org_id', 'resource_id', 'score', 'finished_at'])
    .where('status', '=', 'succeeded')
    .where('finished_at', '<', asOf)
    .orderBy('finished_at')
    .execute();
  const latest = new Map<string, { org: string; score: number }>();
  for (const r of runs)
    if (r.score !== null) latest.set(r.resource_id, { org: r.org_id, score: Number(r.score) });
  const byOrg = new Map<string, number[]>();
  for (const { org, score } of latest.values()) byOrg.set(org, [...(byOrg.get(org) ?? []), score]);
  return new Map(
    [...byOrg].map(([org, scores]) => [
      org,
      {
        score: Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10,
        detail: { resources: scores.length },
      },
    ]),
  );
};

/** The weight of each indicator in the total (out of 100); documented in docs/governance.md. */
export const WEIGHTS: Record<IndicatorKey, number> = {
  catalog_completeness: 20,
  catalog_timeliness: 10,
  request_response: 25,
  objections: 15,
  data_quality: 20,
  resource_use: 10,
};

/** How each indicator is computed; a department with nothing to score on one gets null (不适用). */
export const INDICATORS: Record<IndicatorKey, IndicatorFn> = {
  catalog_completeness: catalogCompleteness,
  catalog_timeliness: catalogTimeliness,
  request_response: requestResponse,
  objections: objectionsHandled,
  data_quality: dataQuality,
  resource_use: resourceUse,
};
