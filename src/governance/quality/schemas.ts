import { z } from 'zod';

// The API's shapes of data quality (数据质量): rules, the schedule, runs, scores.

const itemRef = z.string().min(1).max(100).describe('an item’s name or field name');

/** What a validity rule checks values against: a catalog data type, or a Chinese identifier. */
export const ValidityFormatSchema = z.enum([
  'number',
  'date',
  'datetime',
  'boolean',
  'id_number',
  'credit_code',
]);

/** Body of POST /governance/quality/resources/{code}/rules. */
export const QualityRuleInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('completeness').describe('完整性'), item: itemRef }),
  z.strictObject({
    kind: z.literal('validity').describe('有效性'),
    item: itemRef,
    format: ValidityFormatSchema.optional().describe('the item’s catalog data type when absent'),
  }),
  z.strictObject({
    kind: z.literal('uniqueness').describe('唯一性'),
    items: z.array(itemRef).min(1).max(8).describe('the key'),
  }),
  z.strictObject({
    kind: z.literal('referential').describe('关联一致性'),
    item: itemRef,
    target: z.strictObject({
      resource: z.string().min(1).max(64).describe('the referenced resource’s code (same source)'),
      item: itemRef,
    }),
  }),
  z.strictObject({
    kind: z.literal('timeliness').describe('及时性'),
    item: itemRef.optional().describe('a date or time item holding each row’s last change'),
  }),
]);
export type QualityRuleInput = z.infer<typeof QualityRuleInputSchema>;

/** The kinds of rule. */
export const QualityRuleKindSchema = z.enum([
  'completeness',
  'validity',
  'uniqueness',
  'referential',
  'timeliness',
]);
export type QualityRuleKind = z.infer<typeof QualityRuleKindSchema>;

/** A rule as the API shows it: a steward's, or one derived from the catalog (`origin: default`). */
export const QualityRuleSchema = z.object({
  id: z.string().describe('a UUID, or `default:…` for a rule derived from the catalog'),
  origin: z.enum(['default', 'steward']),
  kind: QualityRuleKindSchema,
  items: z.array(z.string()).describe('the items checked (item names)'),
  format: ValidityFormatSchema.nullable(),
  target: z.object({ resource: z.string(), item: z.string() }).nullable(),
  maxAgeDays: z.number().nullable().describe('timeliness: the update cycle plus a day of grace'),
});
export type QualityRule = z.infer<typeof QualityRuleSchema>;

/** Body of PUT /governance/quality/resources/{code}/schedule. */
export const QualityScheduleInputSchema = z.strictObject({
  everyMinutes: z.number().int().describe('between 15 minutes and 31 days (44640)'),
  useDefaults: z.boolean().default(true).describe('whether the rules derived from the catalog run too'),
});
export type QualityScheduleInput = z.input<typeof QualityScheduleInputSchema>;

/** A resource's schedule. */
export const QualityScheduleSchema = z.object({
  everyMinutes: z.number().int(),
  useDefaults: z.boolean(),
  nextRunAt: z.iso.datetime(),
});
export type QualitySchedule = z.infer<typeof QualityScheduleSchema>;

/** What one rule found in one run. */
export const RuleResultSchema = z.object({
  rule: QualityRuleSchema,
  checked: z.number().int(),
  failed: z.number().int(),
  passRate: z.number().nullable().describe('1 − failed/checked; null when nothing was checked'),
  samples: z
    .array(z.record(z.string(), z.string().nullable()))
    .describe('failing rows (the rule’s items only), masked with the items’ default masks'),
  lastChange: z.string().nullable().describe('timeliness: the newest change seen'),
});
export type RuleResult = z.infer<typeof RuleResultSchema>;

/** One run: succeeded with a score, or failed with the source's error code (no score). */
export const QualityRunSchema = z.object({
  id: z.uuid(),
  resource: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  status: z.enum(['succeeded', 'failed']),
  score: z.number().nullable(),
  errorCode: z.string().nullable(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  results: z.array(RuleResultSchema),
});
export type QualityRun = z.infer<typeof QualityRunSchema>;

/** A point of a resource's trend. */
export const TrendPointSchema = z.object({
  at: z.iso.datetime(),
  status: z.enum(['succeeded', 'failed']),
  score: z.number().nullable(),
});

/** The latest score of a resource, as the catalog shows it. */
export const ResourceScoreSchema = z.object({
  resource: z.string(),
  score: z.number().nullable().describe('the latest successful run’s score (0–100); null before any'),
  scoredAt: z.iso.datetime().nullable(),
  lastRun: z
    .object({
      status: z.enum(['succeeded', 'failed']),
      at: z.iso.datetime(),
      errorCode: z.string().nullable(),
    })
    .nullable(),
});
export type ResourceScore = z.infer<typeof ResourceScoreSchema>;

/** The provider's page of one resource: rules, schedule, the latest run's issues, the trend. */
export const ResourceQualitySchema = z.object({
  resource: z.object({ code: z.string(), name: z.string() }),
  score: ResourceScoreSchema,
  rules: z.array(QualityRuleSchema),
  schedule: QualityScheduleSchema,
  latest: QualityRunSchema.nullable(),
  trend: z.array(TrendPointSchema).describe('the last 60 runs, oldest first'),
});
export type ResourceQuality = z.infer<typeof ResourceQualitySchema>;

/** Scores by department and resource. */
export const QualityScoresSchema = z.object({
  departments: z.array(
    z.object({
      orgId: z.uuid(),
      name: z.string(),
      score: z.number().nullable().describe('the mean of its scored resources’ latest scores'),
      resources: z.number().int().describe('resources with a score'),
    }),
  ),
  resources: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      orgId: z.uuid(),
      score: z.number().nullable(),
      scoredAt: z.iso.datetime().nullable(),
      lastStatus: z.enum(['succeeded', 'failed']),
    }),
  ),
});
export type QualityScores = z.infer<typeof QualityScoresSchema>;
