import { z } from 'zod';

/** A tolerant item: its values may move by up to `tolerance` (a number's precision, a time's seconds). */
export const TolerantItemSchema = z.strictObject({
  item: z.string().min(1).max(100).describe('信息项名称'),
  kind: z.enum(['number', 'time']).describe('number: ± its precision; time: ± whole seconds'),
  tolerance: z
    .number()
    .positive()
    .max(1e9)
    .describe('the precision of a number (0.01 …), or seconds for a time (whole, ≥ 1)'),
});
export type TolerantItem = z.infer<typeof TolerantItemSchema>;

/** Body of PUT /resources/{code}/tracing: the steward's marking settings (replaces them). */
export const TracingSettingsInputSchema = z.strictObject({
  keyItem: z
    .string()
    .min(1)
    .max(100)
    .nullable()
    .describe(
      'the item whose delivered value keys each row’s marks (a row identifier); null with no tolerant items',
    ),
  items: z.array(TolerantItemSchema).max(50).describe('容差信息项'),
});
export type TracingSettingsInput = z.infer<typeof TracingSettingsInputSchema>;

/** A resource's marking settings as stewards and the security officer see them. */
export const TracingSettingsSchema = TracingSettingsInputSchema.extend({
  resource: z.string(),
  updatedBy: z.string().nullable(),
  updatedAt: z.iso.datetime().nullable(),
});
export type TracingSettings = z.infer<typeof TracingSettingsSchema>;

/** Query of POST /tracing/evidence: the evidence report's form. */
export const EvidenceQuerySchema = z.strictObject({
  format: z
    .enum(['html', 'pdf'])
    .default('html')
    .describe('html: a self-contained page; pdf: to print and sign (needs a Chinese font on the server)'),
});
