import { randomUUID } from 'node:crypto';
import type { AuditActor } from '../../audit/index.js';
import { getResource, type ResourceView } from '../../catalog/index.js';
import { AppError, ConflictError } from '../../errors/index.js';
import { type Actor, authorize } from '../../identity/index.js';
import {
  auditActorOf,
  findBinding,
  measureQuality,
  type QualityMeasure,
  type QueryContext,
} from '../../query/index.js';
import { checkOf, defaultRules, referentialTargets, storedRules } from './rules.js';
import { advanceSchedule, scheduleOf } from './schedule.js';
import type { QualityRule, QualityRun, RuleResult } from './schemas.js';

/** Failing rows kept per rule, masked. */
export const SAMPLE_LIMIT = 5;

/** The rules a run checks: the catalog's defaults (unless switched off), then the stewards'. */
export async function effectiveRules(ctx: QueryContext, resource: ResourceView): Promise<QualityRule[]> {
  const schedule = await scheduleOf(ctx.store.db, resource.id);
  return [
    ...(schedule.useDefaults ? defaultRules(resource) : []),
    ...(await storedRules(ctx.store.db, resource)),
  ];
}

/**
 * The score (0–100, one decimal): the mean over the rules that checked something of their pass
 * rate, 1 − failed/checked, so that every rule weighs alike whatever its row count. Null when no
 * rule checked anything (an empty table, nothing measurable).
 */
export function scoreOf(results: Pick<RuleResult, 'passRate'>[]): number | null {
  const rates = results.map((r) => r.passRate).filter((r): r is number => r !== null);
  if (rates.length === 0) return null;
  return Math.round((rates.reduce((a, b) => a + b, 0) / rates.length) * 1000) / 10;
}

const resultOf = (rule: QualityRule, m: QualityMeasure): RuleResult => ({
  rule,
  checked: m.checked,
  failed: m.failed,
  passRate: m.checked > 0 ? 1 - m.failed / m.checked : null,
  samples: m.samples,
  lastChange: m.lastChange ?? null,
});

/**
 * Runs a resource's rules now and records the run: its per-rule counts, masked samples and score.
 * A source that fails (down, refusing, a column gone) records a failed run with the error's code
 * and no score, never a zero. The run's audit entry is written before anything is returned.
 */
export async function runQuality(
  ctx: QueryContext,
  resource: ResourceView,
  trigger: QualityRun['trigger'],
  actor: AuditActor,
  options: { now?: Date; requestId?: string } = {},
): Promise<QualityRun> {
  const now = options.now ?? new Date();
  const db = ctx.store.db;
  const rules = await effectiveRules(ctx, resource);
  const targets = await referentialTargets(db, resource.id);
  const startedAt = new Date();
  let results: RuleResult[] = [];
  let errorCode: string | null = null;
  try {
    const checks = rules.map((r) => checkOf(r, resource, targets.get(r.id)));
    const measures = await measureQuality(ctx, resource, checks, { sampleLimit: SAMPLE_LIMIT, now });
    results = rules.map((rule, i) => resultOf(rule, measures[i]!));
  } catch (error) {
    errorCode = error instanceof AppError ? error.code : 'source_query_failed';
  }
  const status = errorCode ? 'failed' : 'succeeded';
  const score = errorCode ? null : scoreOf(results);
  const run: QualityRun = {
    id: randomUUID(),
    resource: resource.code,
    trigger,
    status,
    score,
    errorCode,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    results,
  };
  await ctx.audit.append({
    type: 'quality.run_recorded',
    actor,
    requestId: options.requestId ?? null,
    resources: [resource.code],
    data: {
      runId: run.id,
      trigger,
      status,
      // Integers only in the log: the score in tenths.
      scoreTenths: score === null ? null : Math.round(score * 10),
      errorCode,
      rules: rules.length,
    },
  });
  await db
    .insertInto('quality_runs')
    .values({
      id: run.id,
      resource_id: resource.id,
      org_id: resource.provider.id,
      trigger,
      status,
      score,
      error_code: errorCode,
      results: JSON.stringify(results),
      started_at: startedAt,
      finished_at: new Date(run.finishedAt),
    })
    .execute();
  await advanceSchedule(db, resource.id, now);
  return run;
}

/** "Run now" (立即检查) by the provider's stewards; a resource without a binding is 409. */
export async function runQualityNow(
  ctx: QueryContext,
  actor: Actor,
  code: string,
  requestId?: string,
): Promise<QualityRun> {
  const resource = await getResource(ctx.store.db, actor, code);
  authorize(actor, 'quality.manage', { orgId: resource.provider.id, noun: 'Resource' });
  if (!(await findBinding(ctx.store.db, resource.id)))
    throw new ConflictError('resource_not_bound', `The resource ${code} is not bound to a source yet`);
  return runQuality(ctx, resource, 'manual', auditActorOf(actor), { requestId });
}
