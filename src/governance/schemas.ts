import { z } from 'zod';
import { GradeSchema } from '../catalog/index.js';
import { AccessRequestSchema } from '../sharing/index.js';
import { isDayKey } from './shanghai.js';

/** A Shanghai calendar day `YYYY-MM-DD` that exists (2025-02-30 is refused). */
export const DaySchema = z.string().refine(isDayKey, { message: 'Expected a real day YYYY-MM-DD' });

/** An administrator's change to one day of the calendar. */
export const OverrideInputSchema = z.strictObject({
  kind: z.enum(['holiday', 'workday']),
  reason: z.string().trim().min(1).max(200),
});
export type OverrideInput = z.infer<typeof OverrideInputSchema>;

const ProvisionalFields = {
  provisional: z.boolean(),
  uncoveredYears: z.array(z.number().int()),
};

/** One day of the calendar, and why it is (not) a working day. */
export const CalendarDaySchema = z.object({
  day: z.string(),
  working: z.boolean(),
  source: z.enum(['override', 'statutory', 'weekend', 'weekday']),
  name: z.string().nullable(),
  covered: z.boolean(),
});
export type CalendarDayView = z.infer<typeof CalendarDaySchema>;

/** Days of a range, and the years the statutory arrangement covers. */
export const CalendarRangeSchema = z.object({
  days: z.array(CalendarDaySchema),
  coveredYears: z.array(z.number().int()),
  ...ProvisionalFields,
});

/** A stored override as the API shows it. */
export const OverrideSchema = z.object({
  day: z.string(),
  kind: z.enum(['holiday', 'workday']),
  reason: z.string(),
  setBy: z.string(),
  setAt: z.iso.datetime(),
});
export type OverrideView = z.infer<typeof OverrideSchema>;

/** The answer of a working-day computation: a deadline, or a count between two instants. */
export const WorkingDaysAnswerSchema = z.object({
  from: z.iso.datetime(),
  dueDate: z.string().optional(),
  dueAt: z.iso.datetime().optional(),
  workingDays: z.number().int(),
  ...ProvisionalFields,
});

/**
 * The steps that carry a deadline (时限): answering an access request (共享申请), reviewing a
 * catalog change (目录审核), handling an objection (异议处理) and answering a demand (需求清单).
 */
export const DeadlineStepSchema = z.enum(['access_request', 'catalog_review', 'objection', 'demand']);
export type DeadlineStep = z.infer<typeof DeadlineStepSchema>;
/** Sharing types a step's deadline may differ by: only 有条件共享 needs a request; `any` for the other steps. */
export const DeadlineSharingTypeSchema = z.enum(['conditional', 'any']);
/** The grade a rule is for; `any` for the steps that do not differ by grade. */
export const DeadlineGradeSchema = z.union([GradeSchema, z.literal('any')]);

/** A rule change: N working days for a step, sharing type and grade. */
export const DeadlineRuleInputSchema = z
  .strictObject({
    step: DeadlineStepSchema,
    sharingType: DeadlineSharingTypeSchema.default('any'),
    grade: DeadlineGradeSchema.default('any'),
    workingDays: z.number().int().min(1).max(366),
  })
  .superRefine((rule, ctx) => {
    // An access request's deadline is per grade of a 有条件共享 resource; the other steps have one.
    const perGrade = rule.step === 'access_request';
    if (perGrade && rule.sharingType !== 'conditional')
      ctx.addIssue({
        code: 'custom',
        path: ['sharingType'],
        message: 'access_request rules are for conditional',
      });
    if (perGrade && rule.grade === 'any')
      ctx.addIssue({ code: 'custom', path: ['grade'], message: 'access_request rules are per grade' });
    if (!perGrade && (rule.sharingType !== 'any' || rule.grade !== 'any'))
      ctx.addIssue({
        code: 'custom',
        path: ['step'],
        message: `${rule.step} rules take sharingType and grade "any"`,
      });
  });
export type DeadlineRuleInput = z.infer<typeof DeadlineRuleInputSchema>;

/** A rule in force; `default` until an administrator sets one. */
export const DeadlineRuleSchema = z.object({
  step: DeadlineStepSchema,
  sharingType: DeadlineSharingTypeSchema,
  grade: DeadlineGradeSchema,
  workingDays: z.number().int(),
  source: z.enum(['default', 'set']),
  setBy: z.string().nullable(),
  setAt: z.iso.datetime().nullable(),
});
export type DeadlineRuleView = z.infer<typeof DeadlineRuleSchema>;

/** The clock of one request (时限): its due time and what is left, or how late it is or was. */
export const DeadlineClockSchema = z.object({
  workingDays: z.number().int(),
  startedAt: z.iso.datetime(),
  dueDate: z.string(),
  dueAt: z.iso.datetime(),
  state: z.enum(['running', 'due_today', 'overdue', 'answered_on_time', 'answered_late', 'stopped']),
  /** Working days left after today (0 on the due day); negative once overdue. */
  remainingWorkingDays: z.number().int(),
  answeredAt: z.iso.datetime().nullable(),
  ...ProvisionalFields,
});
export type DeadlineClock = z.infer<typeof DeadlineClockSchema>;

/** Which requests the SLA counts: filed in [from, to), of one providing department or all. */
export const SlaQuerySchema = z.strictObject({
  step: DeadlineStepSchema.default('access_request').describe(
    'the step: access requests (default), catalog review (per author organisation), objections, demands',
  ),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  orgId: z.uuid().optional(),
});
export type SlaQuery = z.input<typeof SlaQuerySchema>;

/** One providing department's figures. */
export const SlaDepartmentSchema = z.object({
  orgId: z.uuid(),
  orgName: z.string(),
  requests: z.number().int(),
  answered: z.number().int(),
  answeredOnTime: z.number().int(),
  pending: z.number().int(),
  overdue: z.number().int(),
  /** On-time answers over answers plus requests overdue now; null with neither. */
  onTimeRate: z.number().nullable(),
});

/**
 * A step past its deadline and not answered: a request, a catalog change, an objection, a demand.
 * `provider` is the department counted (who must answer; for a catalog change its author's);
 * `consumer` the one waiting (none for a catalog change); no resource for a demand.
 */
export const OverdueRequestSchema = z.object({
  id: z.uuid(),
  title: z.string().describe('the resource’s name, or the demand’s title'),
  resourceCode: z.string().nullable(),
  resourceName: z.string().nullable(),
  providerId: z.uuid(),
  providerName: z.string(),
  consumerOrgId: z.uuid().nullable(),
  consumerName: z.string().nullable(),
  dueDate: z.string(),
  dueAt: z.iso.datetime(),
  overdueWorkingDays: z.number().int(),
  escalated: z.boolean(),
});

/** The SLA page (时限统计): on-time rate per providing department and the overdue list. */
export const SlaReportSchema = z.object({
  step: DeadlineStepSchema,
  asOf: z.iso.datetime(),
  departments: z.array(SlaDepartmentSchema),
  overdue: z.array(OverdueRequestSchema),
  provisional: z.boolean(),
});
export type SlaReport = z.infer<typeof SlaReportSchema>;

/** An access request as the API shows it, with its clock (时限). */
export const AccessRequestWithClockSchema = AccessRequestSchema.extend({ deadline: DeadlineClockSchema });
