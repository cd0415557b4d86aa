import { z } from 'zod';
import { PageQuerySchema } from '../store/index.js';

/**
 * An objection's states: `open` (filed, waiting for the provider) → `corrected` (fixed at the
 * source) or `explained` (the data stands, with the reason) → `confirmed` (the consumer accepts,
 * closed) or `reopened` (the consumer does not; the provider answers again).
 */
export const ObjectionStatusSchema = z.enum(['open', 'corrected', 'explained', 'reopened', 'confirmed']);
export type ObjectionStatus = z.infer<typeof ObjectionStatusSchema>;

const text = (max: number) => z.string().trim().min(1).max(max);
const rowKey = z.union([z.string().trim().min(1).max(200), z.number().finite()]);

/** Body of POST /governance/objections: which rows are wrong, how, and what is right. */
export const RaiseObjectionSchema = z.strictObject({
  resourceCode: text(100),
  keyColumn: text(128).describe('the column, as the rows are delivered, whose values identify the rows'),
  rowKeys: z
    .array(rowKey)
    .min(1)
    .max(100)
    .describe('the values of keyColumn of the rows objected to, as delivered to you (at most 100)'),
  items: z.array(text(128)).min(1).max(50).describe('the items (columns) believed wrong'),
  description: text(2000).describe('what is wrong'),
  expected: text(2000).describe('what the consumer believes is right'),
  evidence: z.string().trim().max(4000).default('').describe('evidence: documents, references, links'),
});
export type RaiseObjection = z.infer<typeof RaiseObjectionSchema>;

/** Body of the provider's answers (correct, explain) and the consumer's reopen. */
export const ObjectionReplySchema = z.strictObject({ reply: text(4000) });
/** Body of the consumer's confirmation: an optional comment. */
export const ObjectionConfirmSchema = z.strictObject({ comment: z.string().trim().max(2000).default('') });

/** Query string of GET /governance/objections. */
export const ObjectionListQuerySchema = PageQuerySchema.extend({
  resource: z.string().max(100).optional().describe('a resource code'),
  status: ObjectionStatusSchema.optional(),
  role: z
    .enum(['raised', 'against'])
    .optional()
    .describe('raised: by my organisation; against: my organisation’s resources; both when absent'),
});
export type ObjectionListQuery = z.infer<typeof ObjectionListQuerySchema>;

const Party = z.object({ id: z.uuid(), name: z.string() });

/** One step of an objection's life. */
export const ObjectionStepSchema = z.object({
  action: z.enum(['raised', 'corrected', 'explained', 'confirmed', 'reopened']),
  at: z.string(),
  by: z.string(),
  orgId: z.uuid(),
  text: z.string(),
});

/** An objection as the API shows it. */
export const ObjectionSchema = z.object({
  id: z.uuid(),
  resource: z.object({ code: z.string(), name: z.string() }),
  provider: Party,
  consumer: Party,
  raisedBy: z.string(),
  keyColumn: z.string(),
  rowKeys: z.array(z.string()),
  items: z.array(z.string()),
  description: z.string(),
  expected: z.string(),
  evidence: z.string(),
  status: ObjectionStatusSchema,
  createdAt: z.string(),
  filedAt: z.string().describe('the deadline’s start: the filing, or the latest reopening'),
  answeredAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  updatedAt: z.string(),
  history: z.array(ObjectionStepSchema),
});
export type ObjectionView = z.infer<typeof ObjectionSchema>;

/** Counts of one resource's objections (GET /governance/objections/stats). */
export const ObjectionStatsSchema = z.object({
  resource: z.object({ code: z.string(), name: z.string() }),
  total: z.number().int(),
  byStatus: z.object({
    open: z.number().int(),
    corrected: z.number().int(),
    explained: z.number().int(),
    reopened: z.number().int(),
    confirmed: z.number().int(),
  }),
  pending: z.number().int().describe('open or reopened: waiting for the provider'),
  disputedRows: z.number().int().describe('row keys under an objection not yet confirmed'),
  reopenings: z.number().int(),
  averageAnswerHours: z.number().nullable().describe('from filing (or reopening) to the latest answer'),
});
export type ObjectionStats = z.infer<typeof ObjectionStatsSchema>;

/** Query string of the statistics route. */
export const ObjectionStatsQuerySchema = z.strictObject({ resource: z.string().min(1).max(100) });
