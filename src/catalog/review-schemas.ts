import { z } from 'zod';
import { PageQuerySchema } from '../store/index.js';

// Catalog review (目录审核): what a pending change, its diff and a decision look like.

/** What a change does: publish a draft (发布), or change a published entry (变更). */
export const CatalogChangeKindSchema = z.enum(['publish', 'update']);
/** Where a change stands. */
export const CatalogChangeStatusSchema = z.enum(['pending', 'approved', 'refused', 'withdrawn']);
export type CatalogChangeStatus = z.infer<typeof CatalogChangeStatusSchema>;

/** The coded reasons of a refusal (退回原因); `other` needs a comment. */
export const REFUSAL_REASONS = [
  'incomplete_items', // 信息项不完整
  'wrong_classification', // 分类不当
  'wrong_sharing_type', // 共享属性不当
  'legal_basis_missing', // 缺少依据
  'duplicate', // 与已有资源重复
  'other', // 其他（须说明）
] as const;
export const RefusalReasonSchema = z.enum(REFUSAL_REASONS);
export type RefusalReason = z.infer<typeof RefusalReasonSchema>;

/** One field of the entry that the change sets: as published (null for a first publication) and as proposed. */
export const DiffEntrySchema = z.object({
  field: z.string().describe('the field’s API name, e.g. summary, items'),
  before: z.unknown().describe('as published; null when the entry was never published'),
  after: z.unknown().describe('as proposed'),
});
export type DiffEntry = z.infer<typeof DiffEntrySchema>;

/** A catalog change as the API shows it. */
export const CatalogChangeSchema = z.object({
  id: z.uuid(),
  kind: CatalogChangeKindSchema,
  status: CatalogChangeStatusSchema,
  resource: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
  providerId: z.uuid(),
  baseVersion: z.number().int().describe('the published version the change was made against (0: a draft)'),
  diff: z.array(DiffEntrySchema).describe('field by field, in the order of the entry’s fields'),
  author: z.string().describe('user:<id> or application:<id>'),
  authorOrgId: z.uuid(),
  submittedAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().nullable(),
  decidedBy: z.uuid().nullable(),
  reasonCode: RefusalReasonSchema.nullable(),
  comment: z.string(),
  appliedVersion: z.number().int().nullable().describe('the version the approval published'),
});
export type CatalogChangeView = z.infer<typeof CatalogChangeSchema>;

/** Body of approve: an optional comment. */
export const ApproveChangeSchema = z.strictObject({ comment: z.string().trim().max(2000).default('') });

/** Body of refuse: the coded reason (required; checked by the domain so that its absence has its own code). */
export const RefuseChangeSchema = z.strictObject({
  reasonCode: RefusalReasonSchema.optional().describe('required: why the change is refused'),
  comment: z.string().trim().max(2000).default('').describe('required when reasonCode is other'),
});
export type RefuseChangeInput = z.input<typeof RefuseChangeSchema>;

/** Query string of GET /catalog/changes. */
export const ChangeListQuerySchema = PageQuerySchema.extend({
  status: CatalogChangeStatusSchema.optional(),
  resourceCode: z.string().max(64).optional(),
}).strict();
export type ChangeListQuery = z.infer<typeof ChangeListQuerySchema>;
