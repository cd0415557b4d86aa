import { z } from 'zod';
import { PageQuerySchema } from '../../store/index.js';

// The demand list (需求清单): what a consumer posts, what a department answers, what is shown.

/** Where a demand stands. 待分派 → 已分派 → (待发布 →) 已办结; or 退回待重新分派, 不予提供, 已撤回. */
export const DEMAND_STATUSES = [
  'submitted', // 待分派: waiting for the platform to assign it
  'returned', // 退回待重新分派: the assigned department declined it as not theirs
  'assigned', // 已分派: the department must answer
  'awaiting_publication', // 待发布: answered with a new catalog entry not yet published
  'closed', // 已办结: answered with a published resource
  'refused', // 不予提供: the department refused it, with its reasons
  'withdrawn', // 已撤回: the requester withdrew it
] as const;
export const DemandStatusSchema = z.enum(DEMAND_STATUSES);
export type DemandStatus = z.infer<typeof DemandStatusSchema>;

/** Statuses in which nothing more can happen. */
export const FINAL_STATUSES: readonly DemandStatus[] = ['closed', 'refused', 'withdrawn'];

const text = (max: number) => z.string().trim().min(1).max(max);

/** An item the requester expects (期望的数据项). */
export const DemandItemSchema = z.strictObject({
  name: text(100),
  description: z.string().trim().max(500).default(''),
});

/** Body of POST /governance/demands. */
export const CreateDemandSchema = z.strictObject({
  title: text(200).describe('需求名称'),
  description: text(4000).describe('需求描述'),
  purpose: text(2000).describe('用途'),
  legalBasis: text(2000).describe('依据 (法律法规、政策文件)'),
  items: z.array(DemandItemSchema).min(1).max(100).describe('期望的数据项'),
  suggestedOrgId: z.uuid().optional().describe('the department the requester believes holds the data'),
});
export type CreateDemandInput = z.input<typeof CreateDemandSchema>;

/** Body of POST /governance/demands/{id}/assign (platform administrator). */
export const AssignDemandSchema = z.strictObject({
  orgId: z.uuid(),
  note: z.string().trim().max(1000).default(''),
});
export type AssignDemandInput = z.input<typeof AssignDemandSchema>;

/** A reason, required: declining an assignment, refusing a demand. */
export const ReasonSchema = z.strictObject({ reason: text(2000) });

/** Body of POST /governance/demands/{id}/answer: an existing resource, a new entry, or a refusal. */
export const AnswerDemandSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('existing_resource'),
    resourceCode: text(200),
    note: z.string().trim().max(2000).default(''),
  }),
  z.strictObject({
    kind: z.literal('new_entry'),
    resourceCode: text(200),
    note: z.string().trim().max(2000).default(''),
  }),
  z.strictObject({ kind: z.literal('refusal'), reason: text(2000) }),
]);
export type AnswerDemandInput = z.input<typeof AnswerDemandSchema>;

/** GET /governance/demands: search words, filters, a page. */
export const DemandQuerySchema = PageQuerySchema.extend({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .describe('words each found in the title, description, purpose or items'),
  status: DemandStatusSchema.optional(),
  assignedOrgId: z.uuid().optional(),
  requesterOrgId: z.uuid().optional(),
}).strict();
export type DemandQuery = z.infer<typeof DemandQuerySchema>;

const Org = z.object({ id: z.uuid(), name: z.string() });

/** One step of a demand's history. */
export const DemandEventSchema = z.object({
  kind: z.enum(['created', 'assigned', 'declined', 'answered', 'refused', 'withdrawn', 'closed']),
  at: z.iso.datetime(),
  actor: z.string().describe('the person, or `system` for a closure seen by the platform'),
  organization: Org.nullable().describe('assigned: the department; declined: the one that declined'),
  text: z.string(),
});

/** A demand as the API shows it. */
export const DemandSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  purpose: z.string(),
  legalBasis: z.string(),
  items: z.array(z.object({ name: z.string(), description: z.string() })),
  status: DemandStatusSchema,
  requester: Org,
  suggestedOrganization: Org.nullable(),
  assignedOrganization: Org.nullable(),
  assignedAt: z.iso.datetime().nullable(),
  answer: z
    .object({
      kind: z.enum(['existing_resource', 'new_entry', 'refusal']),
      resource: z.object({ code: z.string(), name: z.string(), status: z.string() }).nullable(),
      text: z.string(),
    })
    .nullable(),
  answeredAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  history: z.array(DemandEventSchema).describe('oldest first; empty in lists'),
});
export type DemandView = z.infer<typeof DemandSchema>;
export type DemandEventView = z.infer<typeof DemandEventSchema>;
