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
