import { z } from 'zod';

/** A month `YYYY-MM` (Asia/Shanghai). */
export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Expected a month YYYY-MM');

/**
 * The indicators (考核指标) of the monthly assessment, each scored 0–100: catalog completeness
 * (目录完整性), catalog timeliness (目录及时性), answers to access requests on time (申请响应),
 * objections handled on time (异议处理), data quality (数据质量) and use of the department's
 * resources (资源使用).
 */
export const IndicatorKeySchema = z.enum([
  'catalog_completeness',
  'catalog_timeliness',
  'request_response',
  'objections',
  'data_quality',
  'resource_use',
]);
export type IndicatorKey = z.infer<typeof IndicatorKeySchema>;

/** One indicator of one department: its score (null when nothing was there to score) and the counts behind it. */
export const IndicatorSchema = z.object({
  key: IndicatorKeySchema,
  weight: z.number(),
  score: z.number().nullable(),
  /** The figures the score comes from, e.g. `{ answered: 4, onTime: 3, overdue: 1 }`. */
  detail: z.record(z.string(), z.number().nullable()),
});
export type Indicator = z.infer<typeof IndicatorSchema>;

/** One department's month. */
export const DepartmentAssessmentSchema = z.object({
  orgId: z.uuid(),
  orgName: z.string(),
  /** The weighted mean of the indicators that apply; null when none does. */
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  indicators: z.array(IndicatorSchema),
});
export type DepartmentAssessment = z.infer<typeof DepartmentAssessmentSchema>;

/** The monthly assessment (月度考核): every department the caller may see, ranked. */
export const AssessmentReportSchema = z.object({
  month: z.string(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  generatedAt: z.iso.datetime(),
  /** True once the month has ended and its figures are kept as they were at its close. */
  final: z.boolean(),
  // By indicator key; a record over strings, so that the OpenAPI schema needs no listed properties.
  weights: z.record(z.string(), z.number()),
  departments: z.array(DepartmentAssessmentSchema),
});
export type AssessmentReport = z.infer<typeof AssessmentReportSchema>;

/** Which month, and optionally one department. */
export const AssessmentQuerySchema = z.strictObject({
  month: MonthSchema,
  orgId: z.uuid().optional(),
});
export type AssessmentQuery = z.infer<typeof AssessmentQuerySchema>;

/** An export of the month: XLSX (every figure) or PDF (the report to print and file). */
export const AssessmentExportQuerySchema = AssessmentQuerySchema.extend({
  format: z.enum(['xlsx', 'pdf']),
});
export type AssessmentExportQuery = z.infer<typeof AssessmentExportQuerySchema>;
