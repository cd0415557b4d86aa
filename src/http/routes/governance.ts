import { z } from 'zod';
import {
  CalendarRangeSchema,
  calendarDays,
  DaySchema,
  DeadlineRuleInputSchema,
  DeadlineRuleSchema,
  deadlineRules,
  listOverrides,
  OverrideInputSchema,
  OverrideSchema,
  removeOverride,
  SlaQuerySchema,
  SlaReportSchema,
  setDeadlineRule,
  setOverride,
  slaReport,
  WorkingDaysAnswerSchema,
  workingDaysAnswer,
} from '../../governance/index.js';
import { recordEvent } from '../audit-event.js';
import type { App, AppContext } from '../types.js';
import { refusals } from './schemas.js';

const tags = ['governance'];
const DayParams = z.strictObject({ day: DaySchema });
const Instant = z.iso.datetime({ offset: true });

/** The working-day calendar, deadline rules and SLA figures (docs/governance.md). */
export async function governanceRoutes(app: App, { store, audit }: AppContext): Promise<void> {
  app.get(
    '/api/v1/governance/calendar',
    {
      schema: {
        tags,
        summary:
          'The working-day calendar (工作日历) of a range of days (at most two years), in Asia/Shanghai',
        querystring: z.strictObject({ from: DaySchema, to: DaySchema }),
        response: { 200: CalendarRangeSchema, ...refusals },
      },
    },
    async (request) => calendarDays(store.db, request.actor, request.query.from, request.query.to),
  );

  app.get(
    '/api/v1/governance/calendar/overrides',
    {
      schema: {
        tags,
        summary: 'The administrator’s local holidays and extra working days',
        response: { 200: z.array(OverrideSchema), ...refusals },
      },
    },
    async (request) => listOverrides(store.db, request.actor),
  );

  app.put(
    '/api/v1/governance/calendar/overrides/:day',
    {
      schema: {
        tags,
        summary: 'Make a day a local holiday or an extra working day (platform administrator)',
        params: DayParams,
        body: OverrideInputSchema,
        response: { 200: OverrideSchema, ...refusals },
      },
    },
    async (request) => {
      const saved = await setOverride(store.db, request.actor, request.params.day, request.body);
      await recordEvent(audit, request, 'calendar.override_set', {
        day: saved.day,
        kind: saved.kind,
        reason: saved.reason,
      });
      return saved;
    },
  );

  app.delete(
    '/api/v1/governance/calendar/overrides/:day',
    {
      schema: {
        tags,
        summary: 'Remove a day’s override: the statutory arrangement applies again (platform administrator)',
        params: DayParams,
        response: { 200: OverrideSchema, ...refusals },
      },
    },
    async (request) => {
      const removed = await removeOverride(store.db, request.actor, request.params.day);
      await recordEvent(audit, request, 'calendar.override_removed', {
        day: removed.day,
        kind: removed.kind,
      });
      return removed;
    },
  );

  app.get(
    '/api/v1/governance/working-days',
    {
      schema: {
        tags,
        summary:
          'N working days after an instant (`add`: the deadline), or the working days between two (`to`); provisional beyond the years the calendar knows',
        querystring: z.strictObject({
          from: Instant,
          add: z.coerce.number().int().min(0).max(366).optional(),
          to: Instant.optional(),
        }),
        response: { 200: WorkingDaysAnswerSchema, ...refusals },
      },
    },
    async (request) => workingDaysAnswer(store.db, request.actor, request.query),
  );

  app.get(
    '/api/v1/governance/deadline-rules',
    {
      schema: {
        tags,
        summary:
          'The deadlines (时限) in force: working days to answer an access request, by sharing type and grade',
        response: { 200: z.array(DeadlineRuleSchema), ...refusals },
      },
    },
    async (request) => deadlineRules(store.db, request.actor),
  );

  app.put(
    '/api/v1/governance/deadline-rules',
    {
      schema: {
        tags,
        summary: 'Change a deadline from now on; requests filed before keep theirs (platform administrator)',
        body: DeadlineRuleInputSchema,
        response: { 200: DeadlineRuleSchema, ...refusals },
      },
    },
    async (request) => {
      const rule = await setDeadlineRule(store.db, request.actor, request.body);
      await recordEvent(audit, request, 'deadline_rule.set', {
        step: rule.step,
        sharingType: rule.sharingType,
        grade: rule.grade,
        workingDays: rule.workingDays,
      });
      return rule;
    },
  );

  app.get(
    '/api/v1/governance/sla',
    {
      schema: {
        tags,
        summary:
          'On-time rate per responsible department and what is overdue now, for one step: access requests by default, objections, demands or catalog review (platform administrator, auditor; an organisation’s administrator or security officer: its own)',
        querystring: SlaQuerySchema,
        response: { 200: SlaReportSchema, ...refusals },
      },
    },
    async (request) => slaReport(store.db, request.actor, request.query),
  );
}
