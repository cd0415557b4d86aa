// Governance (治理): the working-day calendar (工作日历) of mainland China with an
// administrator's local changes, deadlines (时限) counted on it, the sweep that reminds and
// escalates, and the SLA figures. Objections, the demand list, catalog review, data quality and
// assessments (issue 19) will live here too. Governance reads sharing's requests; sharing never
// imports governance (the routes join the two).

export * from './assessments/index.js';
export { type CalendarDay, type DayOverride, type Provisional, WorkingCalendar } from './calendar.js';
export {
  calendarDays,
  checkRange,
  listOverrides,
  loadCalendar,
  removeOverride,
  setOverride,
} from './calendar-store.js';
export {
  type AccessRequestWithClock,
  type ClockSubject,
  type DeadlineSubject,
  deadlineClock,
  requestClock,
  withClocks,
} from './clock.js';
export { type DeadlineSource, type OpenDeadline, pendingAccessRequests } from './deadline-sources.js';
export {
  type AnswerDemandInput,
  AnswerDemandSchema,
  type AssignDemandInput,
  AssignDemandSchema,
  answerDemand,
  assignDemand,
  type CreateDemandInput,
  CreateDemandSchema,
  closePublishedDemands,
  createDemand,
  DEMAND_STATUSES,
  DemandEventSchema,
  type DemandQuery,
  DemandQuerySchema,
  DemandSchema,
  type DemandStatus,
  DemandStatusSchema,
  type DemandView,
  declineAssignment,
  getDemand,
  listDemands,
  ReasonSchema,
  withdrawDemand,
} from './demands/index.js';
export { actOnObjection, allowedFrom, type ObjectionAction } from './objection-actions.js';
export { pendingObjectionDeadlines } from './objection-deadlines.js';
export * from './objection-schemas.js';
export { objectionStats, type PendingObjection, pendingObjections } from './objection-stats.js';
export { getObjection, listObjections, raiseObjection } from './objections.js';
export * from './quality/index.js';
export {
  DEFAULT_REQUEST_WORKING_DAYS,
  DEFAULT_WORKING_DAYS,
  deadlineRules,
  loadRules,
  RuleBook,
  setDeadlineRule,
} from './rules.js';
export * from './schemas.js';
export { type DayKey, dayOf, isDayKey, startOfDay } from './shanghai.js';
export { slaReport } from './sla.js';
export { COVERED_YEARS } from './statutory.js';
export {
  CatalogChangeWithClockSchema,
  catalogChangeTimes,
  DemandWithClockSchema,
  demandTimes,
  ObjectionWithClockSchema,
  objectionTimes,
  type PickTimes,
  type StepTimes,
  withStepClocks,
} from './step-clocks.js';
export { REMIND_WITHIN_WORKING_DAYS, type SweepOptions, type SweepResult, sweepDeadlines } from './sweep.js';
export { workingDaysAnswer } from './working-days.js';
