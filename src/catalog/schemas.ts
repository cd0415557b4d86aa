import { z } from 'zod';
import {
  GradeSchema,
  OpenTypeSchema,
  PersonalKindSchema,
  ResourceStatusSchema,
  SharingMethodSchema,
  SharingTypeSchema,
  UpdateCycleSchema,
} from './vocab.js';

const text = (max: number) => z.string().trim().max(max);
const words = z.array(z.string().trim().min(1).max(50)).max(50);

/** A resource code: classification, provider code and sequence, upper-case letters, digits and dashes. */
export const ResourceCodeSchema = z
  .string()
  .regex(/^[0-9A-Z][0-9A-Z-]{2,63}$/, 'upper-case letters, digits and dashes; 3 to 64 characters')
  .describe('信息资源代码');

/**
 * The range a numeric item's values are declared to lie in (取值范围): differentially private
 * SUM and AVG clamp values into it, and its width sets their noise. Finite, lower < upper.
 */
export const ItemBoundsSchema = z
  .strictObject({
    lower: z.number().finite(),
    upper: z.number().finite(),
    granularity: z.number().finite().positive().max(1e9).default(1).describe('resolution, e.g. 0.01 yuan'),
  })
  .refine((b) => b.lower < b.upper, { message: 'lower must be below upper', path: ['upper'] })
  .describe('取值范围: for differentially private SUM and AVG');

/** 信息项: one item (column) of a resource. */
export const ItemSchema = z.strictObject({
  name: text(100).min(1).describe('信息项名称'),
  field: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'a machine name: letters, digits and _')
    .optional()
    .describe('字段名 (machine name)'),
  // A string here, checked by the domain, so that a bad type is `unknown_data_type`, not a schema error.
  dataType: z
    .string()
    .min(1)
    .max(20)
    .describe('string | number | date | datetime | boolean | binary (C/N/D/T/B/BLOB)'),
  length: z.number().int().positive().max(1_000_000).nullish(),
  description: text(500).default(''),
  personal: z.boolean().default(false).describe('是否个人信息'),
  personalKind: PersonalKindSchema.nullish().describe('个人信息类别'),
  grade: GradeSchema.nullish(),
  bounds: ItemBoundsSchema.nullish(),
});
export type ItemInput = z.input<typeof ItemSchema>;

/** A contact point (联系方式). */
export const ContactSchema = z.strictObject({
  name: text(100).default(''),
  phone: text(40).default(''),
  email: z.union([z.email(), z.literal('')]).default(''),
});

// The fields a steward writes, without defaults: PATCH must not fill in what was not sent.
const fields = {
  name: text(200).min(1).describe('信息资源名称'),
  // Checked against the classification table by the domain (`unknown_classification`).
  classificationCode: z
    .string()
    .regex(/^\d{1,12}$/, 'digits of 类/项/目/细目')
    .describe('信息资源分类'),
  summary: text(4000).min(1).describe('信息资源摘要'),
  format: text(40).min(1).describe('信息资源格式, e.g. CSV, XLSX, JSON, 数据库'),
  items: z.array(ItemSchema).max(500).describe('信息项'),
  sharingType: SharingTypeSchema.describe('共享类型'),
  sharingConditions: text(2000),
  sharingMethods: z.array(SharingMethodSchema).max(4),
  legalBasis: text(2000).describe('不予共享的法律依据'),
  openType: OpenTypeSchema.describe('开放类型'),
  openConditions: text(2000),
  updateCycle: UpdateCycleSchema.describe('更新周期'),
  relatedCodes: z.array(ResourceCodeSchema).max(50).describe('关联资源代码'),
  grade: GradeSchema.describe('分级'),
  gradeLevel: z.number().int().min(1).max(4).nullish().describe('一般数据的级别 1–4'),
  tags: words,
  keywords: words,
  contact: ContactSchema,
  licence: text(200),
};

/** Body of POST /resources: the fields a steward writes; the code and dates are the platform's. */
export const CreateResourceSchema = z.strictObject({
  ...fields,
  code: ResourceCodeSchema.optional().describe('an existing code to keep; generated when absent'),
  providerId: z.uuid().optional().describe('提供方; defaults to the caller’s organisation'),
  items: fields.items.default([]),
  sharingConditions: fields.sharingConditions.default(''),
  sharingMethods: fields.sharingMethods.default([]),
  legalBasis: fields.legalBasis.default(''),
  openType: fields.openType.default('not_open'),
  openConditions: fields.openConditions.default(''),
  relatedCodes: fields.relatedCodes.default([]),
  grade: fields.grade.default('general'),
  tags: words.default([]),
  keywords: words.default([]),
  contact: ContactSchema.default({ name: '', phone: '', email: '' }),
  licence: fields.licence.default(''),
});
export type CreateResourceInput = z.input<typeof CreateResourceSchema>;
/** A create input after defaults. */
export type ResourceFields = z.output<typeof CreateResourceSchema>;

/** Body of PATCH /resources/{code}: any field but the code and the provider. */
export const UpdateResourceSchema = z.strictObject(fields).partial();
export type UpdateResourceInput = z.input<typeof UpdateResourceSchema>;

/** An item as the API shows it. */
export const ItemViewSchema = ItemSchema.extend({
  dataType: z.string(),
  length: z.number().nullable(),
  field: z.string().nullable(),
  personalKind: PersonalKindSchema.nullable(),
  grade: GradeSchema.nullable(),
  bounds: z.object({ lower: z.number(), upper: z.number(), granularity: z.number() }).nullable(),
});
export type ItemView = z.infer<typeof ItemViewSchema>;

/** A resource as the API shows it. */
export const ResourceSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  classification: z.object({ code: z.string(), name: z.string() }),
  provider: z.object({
    id: z.uuid(),
    name: z.string(),
    code: z.string(),
    regionCode: z.string(),
    level: z.string(),
  }),
  summary: z.string(),
  format: z.string(),
  items: z.array(ItemViewSchema),
  sharingType: SharingTypeSchema,
  sharingConditions: z.string(),
  sharingMethods: z.array(SharingMethodSchema),
  legalBasis: z.string(),
  openType: OpenTypeSchema,
  openConditions: z.string(),
  updateCycle: UpdateCycleSchema,
  publishDate: z.string().nullable().describe('发布日期 (YYYY-MM-DD)'),
  relatedCodes: z.array(z.string()),
  grade: GradeSchema,
  gradeLevel: z.number().nullable(),
  tags: z.array(z.string()),
  keywords: z.array(z.string()),
  contact: z.object({ name: z.string(), phone: z.string(), email: z.string() }),
  licence: z.string(),
  status: ResourceStatusSchema,
  version: z.number().int().describe('the latest published version; 0 before the first'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  publishedAt: z.iso.datetime().nullable(),
  retiredAt: z.iso.datetime().nullable(),
});
export type ResourceView = z.infer<typeof ResourceSchema>;

/** One published version in a resource's history. */
export const VersionSummarySchema = z.object({
  version: z.number().int(),
  publishedAt: z.iso.datetime(),
  publishedBy: z.string().nullable(),
});
export type VersionSummary = z.infer<typeof VersionSummarySchema>;

/** A published version: its snapshot of the resource. */
export const VersionSchema = VersionSummarySchema.extend({ resource: ResourceSchema });
export type VersionView = z.infer<typeof VersionSchema>;

/** A classification (类/项/目/细目). */
export const ClassificationSchema = z.object({
  code: z.string(),
  name: z.string(),
  parentCode: z.string().nullable(),
  level: z.number().int().min(1).max(4),
});
export type ClassificationView = z.infer<typeof ClassificationSchema>;
