import { z } from 'zod';

/** The detectors' rules (docs/warning.md explains each). */
export const RULE_IDS = [
  'volume_above_baseline',
  'off_hours_bulk',
  'new_address',
  'verification_enumeration',
  'many_resources',
  'brute_force',
  'burst_before_expiry',
  'personal_data_export',
  'self_approval',
  'night_admin',
  'federation_log_fork',
] as const;
export const RuleIdSchema = z.enum(RULE_IDS);
export type RuleId = z.infer<typeof RuleIdSchema>;

export const SeveritySchema = z.enum(['low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;

/** An automatic response a rule may take when it opens an alert; a person can undo it. */
export const ResponseKindSchema = z.enum(['none', 'suspend_key', 'suspend_grant']);
export type ResponseKind = z.infer<typeof ResponseKindSchema>;

/** An alert's lifecycle: open → acknowledged → resolved (with a note). */
export const AlertStatusSchema = z.enum(['open', 'acknowledged', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatusSchema>;

/** One rule as the security officer sees it: what it watches, how severe, its thresholds. */
export const RuleViewSchema = z.object({
  rule: RuleIdSchema,
  title: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  severity: SeveritySchema,
  settings: z.record(z.string(), z.number()),
  /** The automatic response on a new alert, and those this rule allows. */
  response: ResponseKindSchema,
  responses: z.array(ResponseKindSchema),
  /** Each setting's default and bounds. */
  limits: z.record(z.string(), z.object({ default: z.number(), min: z.number(), max: z.number() })),
  updatedBy: z.string().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});
export type RuleView = z.infer<typeof RuleViewSchema>;

/** PUT body of a rule: any of enabled, severity and settings; settings merge over the current ones. */
export const RuleSettingsInputSchema = z.strictObject({
  enabled: z.boolean().optional(),
  severity: SeveritySchema.optional(),
  settings: z.record(z.string().max(50), z.number()).optional(),
  response: ResponseKindSchema.optional(),
});
export type RuleSettingsInput = z.infer<typeof RuleSettingsInputSchema>;

/** An alert: one rule firing on one subject, its triggering entries grouped. */
export const AlertSchema = z.object({
  id: z.uuid(),
  rule: RuleIdSchema,
  severity: SeveritySchema,
  /** What the rule fired on: `application:<id>`, `key:<app>/<key>`, `address:<ip>`, `grant:<id>`, `user:<id>`… */
  subject: z.string(),
  subjectOrgId: z.string().nullable(),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
  status: AlertStatusSchema,
  /** How many times the rule fired on the subject within the grouping window. */
  count: z.number().int(),
  /** Indexes of the audit entries that triggered it (the first 100). */
  entries: z.array(z.number().int()),
  firstIndex: z.number().int(),
  lastIndex: z.number().int(),
  firstSeen: z.iso.datetime(),
  lastSeen: z.iso.datetime(),
  assigneeId: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: z.iso.datetime().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.iso.datetime().nullable(),
  note: z.string().nullable(),
  /** The automatic response taken when the alert opened: the key or grant suspended, and its undoing. */
  response: z
    .object({
      kind: z.enum(['suspend_key', 'suspend_grant']),
      target: z.string(),
      at: z.iso.datetime(),
      undoneAt: z.iso.datetime().nullable(),
      undoneBy: z.string().nullable(),
    })
    .nullable(),
  createdAt: z.iso.datetime(),
});
export type AlertView = z.infer<typeof AlertSchema>;

/** Filters of the alert list. */
export const AlertQuerySchema = z.strictObject({
  status: AlertStatusSchema.optional(),
  severity: SeveritySchema.optional(),
  rule: RuleIdSchema.optional(),
  subject: z.string().max(300).optional(),
  assigneeId: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});
export type AlertQuery = z.infer<typeof AlertQuerySchema>;

export const AcknowledgeSchema = z.strictObject({ note: z.string().max(2000).optional() });
export const ResolveSchema = z.strictObject({ note: z.string().min(1).max(2000) });
export const AssignSchema = z.strictObject({ userId: z.uuid() });

/** One rule's share of an application's risk. */
export const RiskReasonSchema = z.object({
  rule: RuleIdSchema,
  title: z.string(),
  alerts: z.number().int(),
  points: z.number(),
  lastSeen: z.string(),
});

/** An application's risk score (0–100) and the rules behind it, the heaviest first. */
export const RiskScoreSchema = z.object({
  applicationId: z.string(),
  score: z.number().int().min(0).max(100),
  level: z.enum(['none', 'low', 'medium', 'high']),
  days: z.number().int(),
  reasons: z.array(RiskReasonSchema),
});
export type RiskScore = z.infer<typeof RiskScoreSchema>;

const counts = {
  low: z.number().int(),
  medium: z.number().int(),
  high: z.number().int(),
  critical: z.number().int(),
};
/** How many alerts of each severity. */
export const SeverityCountsSchema = z.object(counts);
export type SeverityCounts = z.infer<typeof SeverityCountsSchema>;

/** One moment in an alert's life, as the warning centre's timeline shows it. */
export const AlertEventSchema = z.object({
  at: z.iso.datetime(),
  kind: z.enum(['opened', 'acknowledged', 'resolved', 'responded', 'response_undone']),
  alertId: z.uuid(),
  rule: RuleIdSchema,
  /** The rule's title, in Chinese (the summary names the subject as the platform does). */
  title: z.string(),
  severity: SeveritySchema,
  summary: z.string(),
  /** The person who acted (display name), null for the detectors' own steps. */
  by: z.string().nullable(),
  /** The note of an acknowledgement or a resolution. */
  note: z.string().nullable(),
});
export type AlertEvent = z.infer<typeof AlertEventSchema>;

/** The warning centre at a glance: open alerts by severity, alerts per day, the latest events. */
export const WarningSummarySchema = z.object({
  /** Alerts waiting for a security officer, and those acknowledged but not yet resolved. */
  open: SeverityCountsSchema,
  acknowledged: SeverityCountsSchema,
  days: z.number().int(),
  /** Alerts by the Asia/Shanghai day they were first seen, oldest day first, today last. */
  daily: z.array(z.object({ day: z.string(), ...counts })),
  /** The latest events of the alerts, newest first. */
  events: z.array(AlertEventSchema),
});
export type WarningSummary = z.infer<typeof WarningSummarySchema>;

/** Filters of the consumers whose volume the baselines learn. */
export const BaselineConsumerQuerySchema = z.strictObject({
  /** Part of the consumer's identifier, its application's or person's name, or its organisation's. */
  q: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type BaselineConsumerQuery = z.infer<typeof BaselineConsumerQuerySchema>;

/** A consumer (an application, or a person) with its releases over the baselines' look-back. */
export const BaselineConsumerSchema = z.object({
  /** As the detectors count it: `application:<id>`, `user:<id>`… */
  consumer: z.string(),
  /** The application's or person's name, when the consumer is one. */
  name: z.string().nullable(),
  organization: z.string().nullable(),
  releases: z.number().int(),
  lastHour: z.iso.datetime(),
});
export type BaselineConsumer = z.infer<typeof BaselineConsumerSchema>;

/** One hour of a consumer's last week: its releases against the baseline the detector compared them with. */
export const BaselineHourSchema = z.object({
  hour: z.iso.datetime(),
  /** 0 (Monday 00:00, Asia/Shanghai) to 167. */
  hourOfWeek: z.number().int().min(0).max(167),
  releases: z.number().int(),
  /** The mean of the same hour of the week over the weeks before (one decimal). */
  baseline: z.number(),
  /** The fewest releases that open an alert in this hour; null while the rule is off or still learning. */
  threshold: z.number().int().nullable(),
});

/** A consumer's learned baseline against its actual volume over the last seven days (168 hours). */
export const ConsumerBaselineSchema = z.object({
  consumer: z.string(),
  name: z.string().nullable(),
  organization: z.string().nullable(),
  /** The volume rule in force: on or off, and its thresholds. */
  enabled: z.boolean(),
  settings: z.object({
    factor: z.number(),
    minReleases: z.number(),
    weeks: z.number(),
    minWeeks: z.number(),
  }),
  /** The first hour the consumer made a release. */
  firstHour: z.iso.datetime(),
  /** How many weeks of history the baseline has now. */
  historyWeeks: z.number(),
  hours: z.array(BaselineHourSchema),
  /** How many of these hours reached their threshold. */
  hoursAbove: z.number().int(),
});
export type ConsumerBaseline = z.infer<typeof ConsumerBaselineSchema>;

/** A security officer an alert can be assigned to. */
export const OfficerSchema = z.object({
  userId: z.string(),
  name: z.string().describe('display name (account)'),
  orgId: z.string(),
  orgName: z.string().nullable(),
});
export type Officer = z.infer<typeof OfficerSchema>;
