import type { Selectable } from 'kysely';
import { type Kysely, sql } from 'kysely';
import { getResource } from '../../catalog/index.js';
import { type Actor, authorize } from '../../identity/index.js';
import type { QueryContext } from '../../query/index.js';
import type { Database, QualityRunTable } from '../../store/index.js';
import { effectiveRules } from './runs.js';
import { scheduleOf } from './schedule.js';
import type { QualityRun, QualityScores, ResourceQuality, ResourceScore, RuleResult } from './schemas.js';

type Db = Kysely<Database>;
const TREND_RUNS = 60;

const iso = (d: Date | string) => new Date(d).toISOString();

function presentRun(row: Selectable<QualityRunTable>, code: string): QualityRun {
  const results = (typeof row.results === 'string' ? JSON.parse(row.results) : row.results) as RuleResult[];
  return {
    id: row.id,
    resource: code,
    trigger: row.trigger,
    status: row.status,
    score: row.score === null ? null : Number(row.score),
    errorCode: row.error_code,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    results,
  };
}

async function scoreOfResource(db: Db, resourceId: string, code: string): Promise<ResourceScore> {
  const last = await db
    .selectFrom('quality_runs')
    .select(['status', 'started_at', 'error_code'])
    .where('resource_id', '=', resourceId)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const scored = await db
    .selectFrom('quality_runs')
    .select(['score', 'started_at'])
    .where('resource_id', '=', resourceId)
    .where('status', '=', 'succeeded')
    .where('score', 'is not', null)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return {
    resource: code,
    score: scored ? Number(scored.score) : null,
    scoredAt: scored ? iso(scored.started_at) : null,
    lastRun: last ? { status: last.status, at: iso(last.started_at), errorCode: last.error_code } : null,
  };
}

/**
 * The latest score of a resource, for the catalog: whoever may see the resource sees its score
 * (a number, no value of the data); the issues and samples are the provider's (resourceQuality).
 */
export async function resourceScore(db: Db, actor: Actor, code: string): Promise<ResourceScore> {
  const resource = await getResource(db, actor, code);
  return scoreOfResource(db, resource.id, resource.code);
}

/** The provider's view of a resource's quality: rules, schedule, the latest run, the trend. */
export async function resourceQuality(
  ctx: QueryContext,
  actor: Actor,
  code: string,
): Promise<ResourceQuality> {
  const db = ctx.store.db;
  const resource = await getResource(db, actor, code);
  authorize(actor, 'quality.manage', { orgId: resource.provider.id, noun: 'Resource' });
  const runs = await db
    .selectFrom('quality_runs')
    .selectAll()
    .where('resource_id', '=', resource.id)
    .orderBy('started_at', 'desc')
    .limit(TREND_RUNS)
    .execute();
  return {
    resource: { code: resource.code, name: resource.name },
    score: await scoreOfResource(db, resource.id, resource.code),
    rules: await effectiveRules(ctx, resource),
    schedule: await scheduleOf(db, resource.id),
    latest: runs[0] ? presentRun(runs[0], resource.code) : null,
    trend: runs
      .map((r) => ({
        at: iso(r.started_at),
        status: r.status,
        score: r.score === null ? null : Number(r.score),
      }))
      .reverse(),
  };
}

/**
 * Scores by department (提供部门) and resource, for any signed-in member: a resource's score is
 * its latest successful run's; a department's is the mean of its scored resources' (each resource
 * weighs alike). Resources never run are left out.
 */
export async function qualityScores(db: Db, actor: Actor): Promise<QualityScores> {
  authorize(actor, 'quality.read');
  // The latest run of each resource, and its latest successful one (DISTINCT ON, PostgreSQL's).
  const latest = await sql<{ resource_id: string; status: 'succeeded' | 'failed' }>`
    SELECT DISTINCT ON (resource_id) resource_id, status FROM quality_runs
    ORDER BY resource_id, started_at DESC`.execute(db);
  const scored = await sql<{ resource_id: string; score: number | null; started_at: Date }>`
    SELECT DISTINCT ON (resource_id) resource_id, score, started_at FROM quality_runs
    WHERE status = 'succeeded' AND score IS NOT NULL ORDER BY resource_id, started_at DESC`.execute(db);
  const ids = latest.rows.map((r) => r.resource_id);
  if (ids.length === 0) return { departments: [], resources: [] };
  const resources = await db
    .selectFrom('resources')
    .innerJoin('organizations', 'organizations.id', 'resources.provider_id')
    .select([
      'resources.id',
      'resources.code',
      'resources.name',
      'resources.provider_id',
      'organizations.name as org',
    ])
    .where('resources.id', 'in', ids)
    .where('resources.status', '=', 'published')
    .orderBy('resources.code')
    .execute();
  const scoreOf = new Map(scored.rows.map((r) => [r.resource_id, r]));
  const statusOf = new Map(latest.rows.map((r) => [r.resource_id, r.status]));
  const byOrg = new Map<string, { name: string; scores: number[] }>();
  const rows = resources.map((r) => {
    const s = scoreOf.get(r.id);
    const score = s?.score === null || s === undefined ? null : Number(s.score);
    const org = byOrg.get(r.provider_id) ?? { name: r.org, scores: [] };
    if (score !== null) org.scores.push(score);
    byOrg.set(r.provider_id, org);
    return {
      code: r.code,
      name: r.name,
      orgId: r.provider_id,
      score,
      scoredAt: s ? iso(s.started_at) : null,
      lastStatus: statusOf.get(r.id)!,
    };
  });
  const departments = [...byOrg.entries()]
    .map(([orgId, o]) => ({
      orgId,
      name: o.name,
      score: o.scores.length
        ? Math.round((o.scores.reduce((a, b) => a + b, 0) / o.scores.length) * 10) / 10
        : null,
      resources: o.scores.length,
    }))
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || a.name.localeCompare(b.name));
  return { departments, resources: rows };
}
