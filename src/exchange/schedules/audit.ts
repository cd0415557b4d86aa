import type { Actor } from '../../identity/index.js';
import { auditActorOf, type QueryContext } from '../../query/index.js';

/** The delivery schedule events of the audit log (each run's export is logged by query/ as a release). */
export type ScheduleEventType =
  | 'delivery_schedule.created'
  | 'delivery_schedule.deleted'
  | 'delivery_schedule.ran';

/** Appends one schedule event: who (the runner is the system), which schedule of which resource, and what of it. */
export async function logSchedule(
  ctx: QueryContext,
  type: ScheduleEventType,
  actor: Actor | null,
  schedule: { id: string; resource_code: string },
  data: Record<string, string | number | boolean | null> = {},
  requestId: string | null = null,
): Promise<void> {
  await ctx.audit.append({
    type,
    actor: actor ? auditActorOf(actor) : { kind: 'system', id: 'delivery-schedules', orgId: null },
    requestId,
    resources: [schedule.resource_code],
    data: { scheduleId: schedule.id, ...data },
  });
}
