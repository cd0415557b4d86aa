import { z } from 'zod';
import { ResourceCodeSchema } from '../catalog/index.js';
import { maskSpecSchema } from '../privacy/index.js';
import { CidrSchema } from './ip-allow.js';
import { ItemFilterSchema, RowFilterSchema } from './item-filter.js';
import {
  AccessRequestStatusSchema,
  AccessUseSchema,
  GrantOriginSchema,
  GrantStatusSchema,
  RejectionReasonSchema,
  ReviewerRoleSchema,
  StepStatusSchema,
} from './vocab.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true });
const itemName = z.string().trim().min(1).max(100);

/** An attachment of a request (申请依据附件): named and fingerprinted; the file lives elsewhere. */
export const AttachmentSchema = z.strictObject({
  name: text(200),
  url: z.url().max(2000).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256')
    .optional(),
  description: z.string().trim().max(500).default(''),
});

/** Body of POST /access-requests. */
export const CreateAccessRequestSchema = z.strictObject({
  applicationId: z.uuid().describe('the consuming application (应用系统) of the caller’s organisation'),
  resourceCode: ResourceCodeSchema,
  items: z.array(itemName).min(1).max(500).describe('信息项 wanted'),
  purpose: text(2000).describe('使用用途 / 应用场景'),
  legalBasis: text(2000).describe('申请依据'),
  use: AccessUseSchema.default('detail'),
  validFrom: instant.optional().describe('defaults to now'),
  validUntil: instant,
  expectedCallsPerDay: z.number().int().min(1).max(100_000_000).optional(),
  expectedRowsPerDay: z.number().int().min(1).max(10_000_000_000).optional(),
  attachments: z.array(AttachmentSchema).max(20).default([]),
});
export type CreateAccessRequestInput = z.input<typeof CreateAccessRequestSchema>;

/** Daily quotas of a grant. */
export const QuotaSchema = z.strictObject({
  callsPerDay: z.number().int().min(1).max(100_000_000),
  rowsPerDay: z.number().int().min(1).max(10_000_000_000),
});
export type Quota = z.infer<typeof QuotaSchema>;

/**
 * The ε budget of a `statistics` grant (差分隐私预算): what the consumer may spend per day
 * (Asia/Shanghai) and in all. Each answer costs its ε; a day's budget does not carry over.
 */
export const PrivacyBudgetSchema = z
  .strictObject({
    epsilonPerDay: z.number().min(0.01).max(100).describe('ε per day'),
    epsilonTotal: z.number().min(0.01).max(10_000).describe('ε over the grant’s whole period'),
  })
  .refine((b) => b.epsilonPerDay <= b.epsilonTotal, {
    message: 'the daily budget cannot exceed the total',
    path: ['epsilonPerDay'],
  });
export type PrivacyBudget = z.infer<typeof PrivacyBudgetSchema>;

/**
 * Noise on the answers of a `sandbox` grant (可用不可见 + 差分隐私): each released COUNT, SUM and
 * AVG of an answer is noised with ε (discrete Laplace), and the answer costs ε × its aggregate
 * columns from the grant's ε budget (`privacyBudget`), as a statistics measure does.
 */
export const SandboxNoiseSchema = z.strictObject({
  epsilon: z
    .number()
    .min(0.01)
    .max(10)
    .refine(Number.isFinite, 'ε must be a finite number')
    .describe('ε of each released aggregate column; an answer costs ε × its aggregate columns'),
});
export type SandboxNoise = z.infer<typeof SandboxNoiseSchema>;

/** A granted item and its mask. */
export const GrantItemSchema = z.object({ name: z.string(), mask: maskSpecSchema });
export type GrantItem = z.infer<typeof GrantItemSchema>;

/**
 * Body of POST /access-requests/{id}/approve: every field narrows the request, none widens it.
 * Omitted fields keep what the request (or an earlier step) proposed; an omitted mask means the
 * default for the item. A later step may narrow an earlier step's terms, never widen them.
 */
export const ApprovalTermsSchema = z.strictObject({
  items: z
    .array(z.strictObject({ name: itemName, mask: maskSpecSchema.optional() }))
    .min(1)
    .max(500)
    .optional(),
  rowFilter: RowFilterSchema.optional().describe('ANDed conditions over item names; none by default'),
  validFrom: instant.optional(),
  validUntil: instant.optional(),
  quota: QuotaSchema.nullish().describe('defaults to the expected volume of the request; null for none'),
  allowedIps: z.array(CidrSchema).max(100).optional().describe('CIDR blocks; any address when empty'),
  mayExport: z
    .boolean()
    .optional()
    .describe('may the consumer download files, not only query (default false)'),
  privacyBudget: PrivacyBudgetSchema.nullish().describe(
    'statistics use, or sandbox use with noise: the ε budget; defaults to 1 per day and 10 in all; later steps may only lower it; null keeps it',
  ),
  sandboxNoise: SandboxNoiseSchema.nullish().describe(
    'sandbox use only: noise every released aggregate with this ε per column, from the ε budget; null: no noise (the first step only: a later step may add noise or lower ε, never remove or raise it)',
  ),
  comment: z.string().trim().max(2000).default(''),
});
export type ApprovalTermsInput = z.input<typeof ApprovalTermsSchema>;

/** Body of POST /access-requests/{id}/reject. */
export const RejectionSchema = z.strictObject({
  reason: RejectionReasonSchema,
  text: text(2000).describe('the reasons, for the applicant'),
});
export type RejectionInput = z.infer<typeof RejectionSchema>;

/** Body of grant suspension and revocation. */
export const GrantStatusChangeSchema = z.strictObject({ reason: z.string().trim().max(2000).default('') });

/** One approval step as the API shows it. */
export const StepSchema = z.object({
  seq: z.number().int(),
  role: ReviewerRoleSchema,
  status: StepStatusSchema,
  actorId: z.uuid().nullable(),
  actorName: z.string().nullable().describe('the reviewer’s display name once the step is decided'),
  comment: z.string(),
  startedAt: z.iso.datetime().nullable(),
  actedAt: z.iso.datetime().nullable(),
});

/** The terms agreed by the approval steps so far: what the next step starts from, and the grant. */
export const AgreedTermsSchema = z.object({
  items: z.array(GrantItemSchema),
  rowFilter: z.array(ItemFilterSchema),
  validFrom: z.iso.datetime(),
  validUntil: z.iso.datetime(),
  quota: QuotaSchema.nullable(),
  allowedIps: z.array(z.string()),
  mayExport: z.boolean(),
  privacyBudget: PrivacyBudgetSchema.nullable(),
  sandboxNoise: SandboxNoiseSchema.nullable(),
});
export type AgreedTermsView = z.infer<typeof AgreedTermsSchema>;

/** Who is asking: the applicant organisation, the person who filed, and the application system. */
export const ApplicantSchema = z.object({
  organization: z.object({ id: z.uuid(), name: z.string() }),
  person: z.object({ id: z.uuid(), displayName: z.string(), username: z.string() }).nullable(),
  application: z.object({ id: z.uuid(), name: z.string() }),
});
export type ApplicantView = z.infer<typeof ApplicantSchema>;

/** An access request (共享申请) as the API shows it, with who must act next and since when. */
export const AccessRequestSchema = z.object({
  id: z.uuid(),
  applicationId: z.uuid(),
  consumerOrgId: z.uuid(),
  applicant: ApplicantSchema.describe('申请单位、申请人与应用系统'),
  resource: z.object({ id: z.uuid(), code: z.string(), name: z.string(), grade: z.string() }),
  providerId: z.uuid(),
  items: z.array(z.string()),
  purpose: z.string(),
  legalBasis: z.string(),
  use: AccessUseSchema,
  validFrom: z.iso.datetime(),
  validUntil: z.iso.datetime(),
  expectedCallsPerDay: z.number().nullable(),
  expectedRowsPerDay: z.number().nullable(),
  attachments: z.array(AttachmentSchema),
  status: AccessRequestStatusSchema,
  statusLabel: z.string(),
  nextAction: z
    .object({ role: ReviewerRoleSchema, roleLabel: z.string(), orgId: z.uuid(), since: z.iso.datetime() })
    .nullable()
    .describe('who must act next, and since when; null once decided'),
  steps: z.array(StepSchema),
  terms: AgreedTermsSchema.nullable().describe(
    'what the approved steps have agreed so far (the next step starts from it); null before the first approval',
  ),
  rejection: z.object({ reason: RejectionReasonSchema, label: z.string(), text: z.string() }).nullable(),
  grantId: z.uuid().nullable(),
  createdBy: z.uuid(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type AccessRequestView = z.infer<typeof AccessRequestSchema>;

/** A grant (授权) as the API shows it. */
export const GrantSchema = z.object({
  id: z.uuid(),
  origin: GrantOriginSchema,
  requestId: z.uuid().nullable(),
  applicationId: z.uuid().nullable().describe('null for an organisation’s automatic grant'),
  consumerOrgId: z.uuid(),
  resourceId: z.uuid(),
  resourceCode: z.string(),
  providerId: z.uuid(),
  items: z.array(GrantItemSchema),
  rowFilter: z.array(ItemFilterSchema),
  purpose: z.string(),
  use: AccessUseSchema,
  validFrom: z.iso.datetime(),
  validUntil: z.iso.datetime().nullable(),
  quota: QuotaSchema.nullable(),
  allowedIps: z.array(z.string()),
  mayExport: z.boolean(),
  privacyBudget: PrivacyBudgetSchema.nullable().describe(
    'statistics grants, and sandbox grants with noise: the ε budget',
  ),
  sandboxNoise: SandboxNoiseSchema.nullable().describe(
    'sandbox grants: the noise on every released aggregate (null: none, the answers are exact)',
  ),
  status: GrantStatusSchema,
  statusReason: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  names: z
    .object({
      resource: z.string().nullable(),
      provider: z.string().nullable(),
      consumer: z.string().nullable(),
      application: z.string().nullable().describe('null for an automatic grant'),
    })
    .describe('the names of the ids above, for screens (null when the record is gone)'),
});
export type GrantView = z.infer<typeof GrantSchema>;

/** One day of a grant's usage. */
export const UsageSchema = z.object({
  grantId: z.uuid(),
  day: z.string().describe('YYYY-MM-DD, Asia/Shanghai'),
  calls: z.number().int(),
  rows: z.number().int(),
  quota: QuotaSchema.nullable(),
});
export type UsageView = z.infer<typeof UsageSchema>;

/** A notification as the API shows it. */
export const NotificationSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  accessRequestId: z.uuid().nullable(),
  grantId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
});
export type NotificationView = z.infer<typeof NotificationSchema>;

/** A licence acceptance. */
export const LicenceAcceptanceSchema = z.object({
  resourceCode: z.string(),
  licence: z.string(),
  acceptedAt: z.iso.datetime(),
});
export type LicenceAcceptanceView = z.infer<typeof LicenceAcceptanceSchema>;

/** Body of PUT /resources/{code}/open-release: the items that go out openly; the others are dropped. */
export const OpenReleaseInputSchema = z.strictObject({
  items: z
    .array(z.strictObject({ name: itemName, mask: maskSpecSchema.optional() }))
    .max(500)
    .describe('an omitted mask means the default one for the item'),
  quasiIdentifiers: z
    .array(itemName)
    .max(20)
    .optional()
    .describe(
      '准标识符: released items that together could single a person out. Omitted: with personal items released, the proposed ones among the released items (kAnonymityProposed in the answer), else no gate. [] with personal items released: 400 quasi_identifiers_required',
    ),
  k: z
    .number()
    .int()
    .min(2)
    .max(10_000)
    .optional()
    .describe(
      'the k the released rows must reach over the quasi-identifiers; the platform minimum when absent',
    ),
});
export type OpenReleaseInput = z.input<typeof OpenReleaseInputSchema>;

/** The k-anonymity gate of an open release: its quasi-identifiers and the k asked for. */
export const KGateSchema = z.object({
  quasiIdentifiers: z.array(z.string()),
  k: z.number().int(),
});
export type KGate = z.infer<typeof KGateSchema>;

/** The open release of a resource. */
export const OpenReleaseSchema = z.object({
  resourceCode: z.string(),
  configured: z.boolean().describe('false: the default (personal items dropped)'),
  items: z.array(GrantItemSchema),
  kAnonymity: KGateSchema.nullable().describe(
    'the k-anonymity gate every read passes (k raised to the platform minimum then); null: none (no personal item released). quasiIdentifiers [] : the whole release is one class, its row count must reach k',
  ),
  kAnonymityProposed: z
    .boolean()
    .describe(
      'true: no quasi-identifiers were named for a release of personal items (the PUT omitted them, or the release was stored before a gate was required), so the gate is the proposed ones among the released items with the platform minimum k (or the k asked for)',
    ),
  proposedQuasiIdentifiers: z
    .array(z.object({ item: z.string(), kind: z.string() }))
    .describe(
      'items whose name or type says quasi-identifier (region, age, sex, occupation, dates, address…)',
    ),
});
export type OpenReleaseView = z.infer<typeof OpenReleaseSchema>;
