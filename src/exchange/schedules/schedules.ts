import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { BadRequestError, ConflictError, ForbiddenError } from '../../errors/index.js';
import { type Actor, authorize } from '../../identity/index.js';
import { type QueryContext, sealExchangeSecret } from '../../query/index.js';
import { getCatalogResourceId } from '../resource-id.js';
import { logSchedule } from './audit.js';
import { checkCron, nextRunAt } from './cron.js';
import { presentRun, presentSchedule } from './presenters.js';
import { ownSchedule } from './rows.js';
import { runSchedule, type ScheduleEnvironment, scheduleDir, secretOwner } from './run.js';
import { LEASE_MS, releaseLease } from './runner.js';
import {
  type CreateDeliveryScheduleInput,
  CreateDeliveryScheduleSchema,
  type DeliveryRunView,
  type DeliveryScheduleView,
  type ScheduleTargetView,
} from './schemas.js';

/**
 * Creates a consumer application's delivery schedule (定时全量交付): the cron is checked in its
 * time zone (400 `schedule_cron_invalid`), a staging database's address against the outbound
 * policy and its password sealed. The grant is decided at each run, as for every export.
 */
export async function createSchedule(
  ctx: QueryContext,
  env: ScheduleEnvironment,
  actor: Actor,
  input: CreateDeliveryScheduleInput,
  requestId: string | null = null,
): Promise<DeliveryScheduleView> {
  authorize(actor, 'subscription.manage');
  if (actor.kind !== 'application') throw new ForbiddenError('Only an application schedules deliveries');
  const parsed = CreateDeliveryScheduleSchema.parse(input);
  checkCron(parsed.cron, parsed.timezone);
  const db = ctx.store.db;
  await getCatalogResourceId(db, actor, parsed.resourceCode);
  const id = randomUUID();
  let target: ScheduleTargetView;
  let secret: string | null = null;
  if (parsed.target.kind === 'staging') {
    const { password, ...view } = parsed.target;
    // The staging database is the consumer's address: an IP literal the policy refuses is refused
    // now (host names are checked when the platform connects).
    if (env.outbound.refusesLiteral(view.host, view.port) !== null)
      throw new BadRequestError(
        'destination_not_allowed',
        'The platform does not connect to loopback, private, link-local or cloud metadata addresses unless its operator allows them (HUITONG_OUTBOUND_ALLOW)',
        { field: 'target.host' },
      );
    target = view;
    secret = sealExchangeSecret(ctx, secretOwner(id), password);
  } else target = parsed.target;
  const row = {
    id,
    org_id: actor.orgId,
    application_id: actor.applicationId,
    actor: JSON.stringify(actor),
    resource_code: parsed.resourceCode,
    fields: parsed.fields ? JSON.stringify(parsed.fields) : null,
    filter: JSON.stringify(parsed.filter),
    cron: parsed.cron,
    timezone: parsed.timezone,
    target: JSON.stringify(target),
    secret,
    status: 'active',
    next_run_at: nextRunAt(parsed.cron, parsed.timezone),
    created_at: new Date(),
  };
  await db.insertInto('delivery_schedules').values(row).execute();
  await logSchedule(
    ctx,
    'delivery_schedule.created',
    actor,
    row,
    { cron: row.cron, target: target.kind },
    requestId,
  );
  return presentSchedule(await ownSchedule(db, actor, id));
}

/** The delivery schedules of the actor's organisation, newest first. */
export async function listSchedules(ctx: QueryContext, actor: Actor): Promise<DeliveryScheduleView[]> {
  authorize(actor, 'subscription.read');
  if (actor.kind === 'anonymous') return [];
  const rows = await ctx.store.db
    .selectFrom('delivery_schedules')
    .selectAll()
    .where('org_id', '=', actor.orgId)
    .orderBy('created_at', 'desc')
    .limit(1000)
    .execute();
  return rows.map(presentSchedule);
}

/** One schedule of the actor's organisation. */
export async function getSchedule(
  ctx: QueryContext,
  actor: Actor,
  id: string,
): Promise<DeliveryScheduleView> {
  return presentSchedule(await ownSchedule(ctx.store.db, actor, id));
}

/** Deletes a schedule, its runs and its files. */
export async function deleteSchedule(
  ctx: QueryContext,
  env: ScheduleEnvironment,
  actor: Actor,
  id: string,
  requestId: string | null = null,
): Promise<void> {
  const row = await ownSchedule(ctx.store.db, actor, id, 'subscription.manage');
  await ctx.store.db.deleteFrom('delivery_schedules').where('id', '=', id).execute();
  await rm(scheduleDir(env.dataDir, id), { recursive: true, force: true });
  await logSchedule(ctx, 'delivery_schedule.deleted', actor, row, {}, requestId);
}

/**
 * Runs a schedule now (as its application, through the query pipeline), outside its cron; 409
 * `schedule_running` while a run of it is in progress here or in another process.
 */
export async function runScheduleNow(
  ctx: QueryContext,
  env: ScheduleEnvironment,
  actor: Actor,
  id: string,
  requestId: string | null = null,
): Promise<DeliveryRunView> {
  const db = ctx.store.db;
  const row = await ownSchedule(db, actor, id, 'subscription.manage');
  const now = new Date();
  const taken = await db
    .updateTable('delivery_schedules')
    .set({ lease_until: new Date(now.getTime() + LEASE_MS) })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1)
    throw new ConflictError('schedule_running', 'A run of this schedule is in progress');
  try {
    const runId = await runSchedule(ctx, env, row, 'manual', requestId);
    const run = await db
      .selectFrom('delivery_schedule_runs')
      .selectAll()
      .where('id', '=', runId)
      .executeTakeFirstOrThrow();
    return presentRun(run);
  } finally {
    await releaseLease(db, id);
  }
}

/** A schedule's runs, newest first (at most 100). */
export async function listRuns(ctx: QueryContext, actor: Actor, id: string): Promise<DeliveryRunView[]> {
  await ownSchedule(ctx.store.db, actor, id);
  const rows = await ctx.store.db
    .selectFrom('delivery_schedule_runs')
    .selectAll()
    .where('schedule_id', '=', id)
    .orderBy('started_at', 'desc')
    .limit(100)
    .execute();
  return rows.map(presentRun);
}
