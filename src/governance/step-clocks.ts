import type { Kysely } from 'kysely';
import { CatalogChangeSchema, type CatalogChangeView } from '../catalog/index.js';
import type { Database } from '../store/index.js';
import { loadCalendar } from './calendar-store.js';
import { type DeadlineSubject, deadlineClock } from './clock.js';
import { DemandSchema, type DemandView } from './demands/index.js';
import { ObjectionSchema, type ObjectionView } from './objection-schemas.js';
import { loadRules } from './rules.js';
import { type DeadlineClock, DeadlineClockSchema, type DeadlineStep } from './schemas.js';

type Db = Kysely<Database>;

/** What a step's view tells of its clock: when it started, was answered or stopped. */
export type StepTimes = Pick<DeadlineSubject, 'startedAt' | 'answeredAt' | 'stoppedAt'>;

/** Reads a view's clock times; null when the step has no clock (a demand not assigned, say). */
export type PickTimes<T> = (view: T) => StepTimes | null;

const at = (iso: string | null) => (iso ? new Date(iso) : null);

/**
 * Adds each view's clock (时限) for a step other than access requests, whose rules do not differ
 * by sharing type or grade. The routes call this so that the modules of the views (catalog, the
 * demand list, objections) never wait on the calendar.
 */
export async function withStepClocks<T extends object>(
  db: Db,
  step: Exclude<DeadlineStep, 'access_request'>,
  views: T[],
  pick: PickTimes<T>,
  now = new Date(),
): Promise<(T & { deadline: DeadlineClock | null })[]> {
  if (views.length === 0) return [];
  const [calendar, rules] = await Promise.all([loadCalendar(db), loadRules(db)]);
  return views.map((v) => {
    const times = pick(v);
    const deadline = times
      ? deadlineClock({ step, sharingType: 'any', grade: 'any', ...times }, calendar, rules, now)
      : null;
    return { ...v, deadline };
  });
}

/**
 * An objection's clock: from its filing (reset on reopening, which clears the answer) to the
 * provider's answer; stopped if confirmed without one (the workflow does not allow it).
 */
export const objectionTimes: PickTimes<ObjectionView> = (o) => ({
  startedAt: new Date(o.filedAt),
  answeredAt: at(o.answeredAt),
  stoppedAt: !o.answeredAt && o.status === 'confirmed' ? at(o.closedAt ?? o.updatedAt) : null,
});

/**
 * A demand's clock: from its assignment to the department's answer (or refusal); stopped when
 * withdrawn. None before an assignment, nor once the department has returned it (declining
 * clears the assignment; the next one starts a new clock).
 */
export const demandTimes: PickTimes<DemandView> = (d) => {
  if (!d.assignedAt) return null;
  return {
    startedAt: new Date(d.assignedAt),
    answeredAt: at(d.answeredAt),
    stoppedAt: !d.answeredAt && d.status === 'withdrawn' ? at(d.closedAt ?? d.updatedAt) : null,
  };
};

/** A catalog change's clock: from its submission to the reviewer's decision; stopped when withdrawn. */
export const catalogChangeTimes: PickTimes<CatalogChangeView> = (c) => ({
  startedAt: new Date(c.submittedAt),
  answeredAt: c.status === 'approved' || c.status === 'refused' ? at(c.decidedAt) : null,
  stoppedAt: c.status === 'withdrawn' ? at(c.decidedAt) : null,
});

const Deadline = { deadline: DeadlineClockSchema.nullable() };

/** An objection with its clock (always running or finished). */
export const ObjectionWithClockSchema = ObjectionSchema.extend(Deadline);
/** A demand with its clock; null until it is assigned. */
export const DemandWithClockSchema = DemandSchema.extend(Deadline);
/** A catalog change with its review clock. */
export const CatalogChangeWithClockSchema = CatalogChangeSchema.extend(Deadline);
