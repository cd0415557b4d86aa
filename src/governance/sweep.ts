import type { Kysely } from 'kysely';
import type { AuditActor, AuditLog } from '../audit/index.js';
import { notify, type Recipient } from '../sharing/index.js';
import type { Database } from '../store/index.js';
import { loadCalendar } from './calendar-store.js';
import { deadlineClock } from './clock.js';
import {
  assignedDemands,
  type DeadlineSource,
  holdersOf,
  type OpenDeadline,
  pendingAccessRequests,
  pendingCatalogChanges,
} from './deadline-sources.js';
import { pendingObjectionDeadlines } from './objection-deadlines.js';
import { loadRules } from './rules.js';
import type { DeadlineClock } from './schemas.js';

type Db = Kysely<Database>;

/** A reviewer is reminded when this many working days or fewer are left after today. */
export const REMIND_WITHIN_WORKING_DAYS = 1;

const SWEEPER: AuditActor = { kind: 'system', id: 'deadline-sweep', orgId: null };

/** Every step whose deadlines the sweep watches; the other steps add theirs here. */
const SOURCES: DeadlineSource[] = [
  pendingAccessRequests,
  pendingObjectionDeadlines,
  assignedDemands,
  pendingCatalogChanges,
];

type Kind = 'reminded' | 'escalated' | 'escalated_platform';

/** What one sweep sent: the subjects' ids, per kind. */
export interface SweepResult {
  reminded: string[];
  escalated: string[];
  escalatedPlatform: string[];
}

/** Options of a sweep: `now` so that tests need not wait; the platform escalation's threshold. */
export interface SweepOptions {
  now?: Date;
  /** Working days overdue after which the platform's administrators are told too; 0 never. */
  platformAfterWorkingDays?: number;
}

/** Which notice a clock calls for now, if any. */
function noticeFor(clock: DeadlineClock, platformAfter: number): Kind[] {
  if (clock.state === 'overdue') {
    const late = -clock.remainingWorkingDays;
    return platformAfter > 0 && late >= platformAfter ? ['escalated', 'escalated_platform'] : ['escalated'];
  }
  if (clock.state === 'running' || clock.state === 'due_today')
    return clock.remainingWorkingDays <= REMIND_WITHIN_WORKING_DAYS ? ['reminded'] : [];
  return [];
}

function message(kind: Kind, s: OpenDeadline, clock: DeadlineClock) {
  const link = s.accessRequestId ? { accessRequestId: s.accessRequestId } : {};
  if (kind === 'reminded')
    return {
      kind: 'deadline.reminded',
      title: `${s.noun}即将到期：${s.title}`,
      body: `请于 ${clock.dueDate} 前办理（剩余 ${Math.max(0, clock.remainingWorkingDays)} 个工作日）。`,
      ...link,
    };
  return {
    kind: kind === 'escalated' ? 'deadline.escalated' : 'deadline.escalated_platform',
    title: `${s.noun}已超期：${s.title}`,
    body: `办理时限为 ${clock.dueDate}（${clock.workingDays} 个工作日），已超期 ${-clock.remainingWorkingDays} 个工作日，请督办。`,
    ...link,
  };
}

/**
 * Reminds whoever must act on each running step close to its deadline, escalates each overdue
 * one to the acting organisation's administrator (单位管理员) and, when configured, to the
 * platform's administrators — each once (deadline_events), each logged before its notification
 * is left.
 */
export async function sweepDeadlines(
  db: Db,
  audit: Pick<AuditLog, 'append'>,
  options: SweepOptions | Date = {},
): Promise<SweepResult> {
  const { now = new Date(), platformAfterWorkingDays = 0 } =
    options instanceof Date ? { now: options } : options;
  const [calendar, rules] = await Promise.all([loadCalendar(db), loadRules(db)]);
  const open = (await Promise.all(SOURCES.map((source) => source(db)))).flat();
  const done = await db.selectFrom('deadline_events').select(['step', 'subject_id', 'kind']).execute();
  const sent = new Set(done.map((e) => `${e.step}/${e.subject_id}/${e.kind}`));
  const result: SweepResult = { reminded: [], escalated: [], escalatedPlatform: [] };
  for (const s of open) {
    const clock = deadlineClock(s, calendar, rules, now);
    for (const kind of noticeFor(clock, platformAfterWorkingDays)) {
      if (sent.has(`${s.step}/${s.id}/${kind}`)) continue;
      await audit.append({
        type: `deadline.${kind}`,
        actor: SWEEPER,
        resources: s.resources,
        data: {
          step: s.step,
          subjectId: s.id,
          ...(s.accessRequestId ? { accessRequestId: s.accessRequestId } : {}),
          orgId: s.orgId,
          dueAt: clock.dueAt,
          provisional: clock.provisional,
        },
      });
      const recipients: Recipient[] =
        kind === 'reminded'
          ? (s.remind ?? [{ orgId: s.orgId, role: s.remindRole }])
          : kind === 'escalated'
            ? (s.escalate ?? [{ orgId: s.orgId, role: 'org_admin' }])
            : await holdersOf(db, 'platform_admin');
      const sentNow = await db.transaction().execute(async (trx) => {
        const claimed = await trx
          .insertInto('deadline_events')
          .values({ step: s.step, subject_id: s.id, kind, at: now })
          .onConflict((oc) => oc.doNothing())
          .returning('subject_id')
          .executeTakeFirst();
        // Another process swept it first: its notification stands.
        if (!claimed) return false;
        for (const to of recipients) await notify(trx, to, message(kind, s, clock));
        return true;
      });
      if (sentNow) result[kind === 'escalated_platform' ? 'escalatedPlatform' : kind].push(s.id);
    }
  }
  return result;
}
