import type { Kysely } from 'kysely';
import { getResource, type ResourceView } from '../../catalog/index.js';
import { BadRequestError } from '../../errors/index.js';
import { type Actor, authorize } from '../../identity/index.js';
import type { Database } from '../../store/index.js';
import { type QualitySchedule, type QualityScheduleInput, QualityScheduleInputSchema } from './schemas.js';

type Db = Kysely<Database>;

/** A resource without a schedule of its own runs daily, with the catalog's default rules. */
export const DEFAULT_EVERY_MINUTES = 1440;
const MIN_EVERY = 15;
const MAX_EVERY = 44_640;

/** The schedule of a resource: its own, or the daily default (due now). */
export async function scheduleOf(db: Db, resourceId: string, now = new Date()): Promise<QualitySchedule> {
  const row = await db
    .selectFrom('quality_schedules')
    .selectAll()
    .where('resource_id', '=', resourceId)
    .executeTakeFirst();
  if (!row) return { everyMinutes: DEFAULT_EVERY_MINUTES, useDefaults: true, nextRunAt: now.toISOString() };
  return {
    everyMinutes: row.every_minutes,
    useDefaults: row.use_defaults,
    nextRunAt: new Date(row.next_run_at).toISOString(),
  };
}

/**
 * Sets how often a resource's rules run (every 15 minutes to 31 days; anything else is 400
 * `invalid_schedule`) and whether the defaults apply. The next run is one interval from now.
 */
export async function setQualitySchedule(
  db: Db,
  actor: Actor,
  code: string,
  input: QualityScheduleInput,
  now = new Date(),
): Promise<{ resource: ResourceView; schedule: QualitySchedule }> {
  const resource = await getResource(db, actor, code);
  authorize(actor, 'quality.manage', { orgId: resource.provider.id, noun: 'Resource' });
  const { everyMinutes, useDefaults } = QualityScheduleInputSchema.parse(input);
  if (!Number.isInteger(everyMinutes) || everyMinutes < MIN_EVERY || everyMinutes > MAX_EVERY)
    throw new BadRequestError(
      'invalid_schedule',
      `Run every ${MIN_EVERY} to ${MAX_EVERY} minutes (31 days); ${everyMinutes} is outside`,
      { field: 'everyMinutes' },
    );
  const next = new Date(now.getTime() + everyMinutes * 60_000);
  const values = {
    every_minutes: everyMinutes,
    use_defaults: useDefaults,
    next_run_at: next,
    updated_by: actor.kind === 'user' ? actor.userId : null,
    updated_at: now,
  };
  await db
    .insertInto('quality_schedules')
    .values({ resource_id: resource.id, ...values })
    .onConflict((oc) => oc.column('resource_id').doUpdateSet(values))
    .execute();
  return { resource, schedule: { everyMinutes, useDefaults, nextRunAt: next.toISOString() } };
}

/** Moves a resource's next run one interval past `now` (creating its default schedule). */
export async function advanceSchedule(db: Db, resourceId: string, now: Date): Promise<void> {
  const current = await scheduleOf(db, resourceId, now);
  const next = new Date(now.getTime() + current.everyMinutes * 60_000);
  await db
    .insertInto('quality_schedules')
    .values({
      resource_id: resourceId,
      every_minutes: current.everyMinutes,
      use_defaults: current.useDefaults,
      next_run_at: next,
      updated_by: null,
    })
    .onConflict((oc) => oc.column('resource_id').doUpdateSet({ next_run_at: next }))
    .execute();
}
