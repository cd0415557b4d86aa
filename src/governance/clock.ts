import type { Kysely } from 'kysely';
import type { AccessRequestView } from '../sharing/index.js';
import type { Database } from '../store/index.js';
import type { WorkingCalendar } from './calendar.js';
import { loadCalendar } from './calendar-store.js';
import type { RuleBook } from './rules.js';
import { loadRules } from './rules.js';
import type { DeadlineClock, DeadlineStep } from './schemas.js';
import { dayOf } from './shanghai.js';

type Db = Kysely<Database>;

/** What a clock needs of a request: when it was filed, by grade, and whether and when it was answered. */
export interface ClockSubject {
  createdAt: Date;
  grade: string;
  status: string;
  /** The decision's time, for a decided request. */
  updatedAt: Date;
}

/** What any step's clock needs: which rule, when it started, and whether it was answered or stopped. */
export interface DeadlineSubject {
  step: DeadlineStep;
  sharingType: string;
  grade: string;
  startedAt: Date;
  /** The answer's time; null while unanswered. */
  answeredAt: Date | null;
  /** The time the step ended without an answer (withdrawn, say); null while it runs. */
  stoppedAt: Date | null;
}

/** The clock (时限) of any step at `now`: counted from its start by the rule then in force. */
export function deadlineClock(
  subject: DeadlineSubject,
  calendar: WorkingCalendar,
  rules: RuleBook,
  now: Date,
): DeadlineClock {
  const { step, sharingType, grade, startedAt } = subject;
  const workingDays = rules.workingDays(step, sharingType, grade, startedAt);
  const due = calendar.addWorkingDays(startedAt, workingDays);
  const base = {
    workingDays,
    startedAt: startedAt.toISOString(),
    dueDate: due.dueDate,
    dueAt: due.dueAt.toISOString(),
    provisional: due.provisional,
    uncoveredYears: due.uncoveredYears,
  };
  const lastMoment = new Date(due.dueAt.getTime() - 1);
  const left = (at: Date) => calendar.workingDaysBetween(at, lastMoment).workingDays;
  if (subject.answeredAt) {
    const onTime = subject.answeredAt < due.dueAt;
    return {
      ...base,
      state: onTime ? 'answered_on_time' : 'answered_late',
      remainingWorkingDays: left(subject.answeredAt),
      answeredAt: subject.answeredAt.toISOString(),
    };
  }
  if (subject.stoppedAt)
    return { ...base, state: 'stopped', remainingWorkingDays: left(subject.stoppedAt), answeredAt: null };
  const state = now >= due.dueAt ? 'overdue' : dayOf(now) === due.dueDate ? 'due_today' : 'running';
  return { ...base, state, remainingWorkingDays: left(now), answeredAt: null };
}

const DECIDED = new Set(['approved', 'partially_approved', 'rejected']);

/** The clock (时限) of an access request at `now`: counted from its filing by the rule then in force. */
export function requestClock(
  subject: ClockSubject,
  calendar: WorkingCalendar,
  rules: RuleBook,
  now: Date,
): DeadlineClock {
  const decided = DECIDED.has(subject.status);
  return deadlineClock(
    {
      step: 'access_request',
      sharingType: 'conditional',
      grade: subject.grade,
      startedAt: subject.createdAt,
      answeredAt: decided ? subject.updatedAt : null,
      stoppedAt: !decided && subject.status !== 'pending' ? subject.updatedAt : null,
    },
    calendar,
    rules,
    now,
  );
}

/** An access request with its clock. */
export type AccessRequestWithClock = AccessRequestView & { deadline: DeadlineClock };

/** Adds each request's clock (the console's 时限 column and drawer). */
export async function withClocks(
  db: Db,
  views: AccessRequestView[],
  now = new Date(),
): Promise<AccessRequestWithClock[]> {
  if (views.length === 0) return [];
  const [calendar, rules] = await Promise.all([loadCalendar(db), loadRules(db)]);
  return views.map((v) => ({
    ...v,
    deadline: requestClock(
      {
        createdAt: new Date(v.createdAt),
        grade: v.resource.grade,
        status: v.status,
        updatedAt: new Date(v.updatedAt),
      },
      calendar,
      rules,
      now,
    ),
  }));
}
