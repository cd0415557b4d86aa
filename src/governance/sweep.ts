import type { Kysely } from 'kysely';
import type { AuditActor, AuditLog } from '../audit/index.js';
import { notify } from '../sharing/index.js';
import type { Database } from '../store/index.js';
import { loadCalendar } from './calendar-store.js';
import { requestClock } from './clock.js';
import { loadRules } from './rules.js';

type Db = Kysely<Database>;

/** A reviewer is reminded when this many working days or fewer are left after today. */
export const REMIND_WITHIN_WORKING_DAYS = 1;

const SWEEPER: AuditActor = { kind: 'system', id: 'deadline-sweep', orgId: null };

/** What one sweep sent. */
export interface SweepResult {
  reminded: string[];
  escalated: string[];
}

/**
 * Reminds the provider's reviewer of each pending access request close to its deadline, and
 * escalates each overdue one to the provider's organisation administrator (单位管理员) — each once
 * (deadline_events), each logged before its notification is left. `now` is a parameter so that
 * tests need not wait for a deadline.
 */
export async function sweepDeadlines(
  db: Db,
  audit: Pick<AuditLog, 'append'>,
  now = new Date(),
): Promise<SweepResult> {
  const [calendar, rules] = await Promise.all([loadCalendar(db), loadRules(db)]);
  const pending = await db
    .selectFrom('access_requests')
    .select([
      'id',
      'created_at',
      'updated_at',
      'grade',
      'status',
      'provider_id',
      'next_role',
      'resource_name',
      'resource_code',
    ])
    .where('status', '=', 'pending')
    .execute();
  const done = await db
    .selectFrom('deadline_events')
    .select(['subject_id', 'kind'])
    .where('step', '=', 'access_request')
    .execute();
  const sent = new Set(done.map((e) => `${e.subject_id}/${e.kind}`));
  const result: SweepResult = { reminded: [], escalated: [] };
  for (const r of pending) {
    const clock = requestClock(
      { createdAt: r.created_at, grade: r.grade, status: r.status, updatedAt: r.updated_at },
      calendar,
      rules,
      now,
    );
    const overdue = clock.state === 'overdue';
    const kind = overdue
      ? 'escalated'
      : clock.remainingWorkingDays <= REMIND_WITHIN_WORKING_DAYS
        ? 'reminded'
        : null;
    if (!kind || sent.has(`${r.id}/${kind}`)) continue;
    await audit.append({
      type: `deadline.${kind}`,
      actor: SWEEPER,
      resources: [r.resource_code],
      data: {
        accessRequestId: r.id,
        providerId: r.provider_id,
        dueAt: clock.dueAt,
        provisional: clock.provisional,
      },
    });
    const sentNow = await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .insertInto('deadline_events')
        .values({ step: 'access_request', subject_id: r.id, kind, at: now })
        .onConflict((oc) => oc.doNothing())
        .returning('subject_id')
        .executeTakeFirst();
      // Another process swept it first: its notification stands.
      if (!claimed) return false;
      await notify(
        trx,
        overdue
          ? { orgId: r.provider_id, role: 'org_admin' }
          : { orgId: r.provider_id, role: r.next_role ?? 'data_steward' },
        overdue
          ? {
              kind: 'deadline.escalated',
              title: `共享申请已超期：${r.resource_name}`,
              body: `答复时限为 ${clock.dueDate}（${clock.workingDays} 个工作日），已超期，请督办。`,
              accessRequestId: r.id,
            }
          : {
              kind: 'deadline.reminded',
              title: `共享申请即将到期：${r.resource_name}`,
              body: `请于 ${clock.dueDate} 前答复（剩余 ${Math.max(0, clock.remainingWorkingDays)} 个工作日）。`,
              accessRequestId: r.id,
            },
      );
      return true;
    });
    if (sentNow) result[kind].push(r.id);
  }
  return result;
}
