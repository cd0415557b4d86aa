import { sql } from 'kysely';
import type { AuditActor } from '../../audit/index.js';
import { findResourceById } from '../../catalog/index.js';
import type { QueryContext } from '../../query/index.js';
import { runQuality } from './runs.js';
import { DEFAULT_EVERY_MINUTES } from './schedule.js';

const SCHEDULER: AuditActor = { kind: 'system', id: 'quality-schedule', orgId: null };

/** What one sweep ran: resource codes by outcome. */
export interface QualitySweepResult {
  succeeded: string[];
  failed: string[];
}

/**
 * Runs the rules of every bound, published resource that is due: its schedule's next run has
 * come, or it has none yet (the daily default, due at once). Each due resource is claimed by
 * moving its next run forward in one guarded UPDATE first, so that two processes sweeping at
 * once run it once. At most `limit` resources a sweep; the rest wait for the next.
 */
export async function sweepQuality(
  ctx: QueryContext,
  now = new Date(),
  limit = 20,
): Promise<QualitySweepResult> {
  const db = ctx.store.db;
  // Bound published resources without a schedule get the default one, due now.
  await sql`INSERT INTO quality_schedules (resource_id, every_minutes, use_defaults, next_run_at)
    SELECT b.resource_id, ${DEFAULT_EVERY_MINUTES}, true, ${now} FROM resource_bindings b
    JOIN resources r ON r.id = b.resource_id AND r.status = 'published'
    ON CONFLICT (resource_id) DO NOTHING`.execute(db);
  const due = await db
    .selectFrom('quality_schedules')
    .innerJoin('resource_bindings', 'resource_bindings.resource_id', 'quality_schedules.resource_id')
    .select([
      'quality_schedules.resource_id',
      'quality_schedules.next_run_at',
      'quality_schedules.every_minutes',
    ])
    .where('quality_schedules.next_run_at', '<=', now)
    .orderBy('quality_schedules.next_run_at')
    .limit(limit)
    .execute();
  const result: QualitySweepResult = { succeeded: [], failed: [] };
  for (const row of due) {
    const claimed = await db
      .updateTable('quality_schedules')
      .set({ next_run_at: new Date(now.getTime() + row.every_minutes * 60_000) })
      .where('resource_id', '=', row.resource_id)
      .where('next_run_at', '=', row.next_run_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    const resource = await findResourceById(db, row.resource_id);
    if (resource?.status !== 'published') continue;
    const run = await runQuality(ctx, resource, 'schedule', SCHEDULER, { now });
    result[run.status].push(resource.code);
  }
  return result;
}
