import { z } from 'zod';

/**
 * How the data may be used: 明细 (records, masks aside), 统计 (differentially private statistics
 * only, within an ε budget), 核验 (yes/no checks), 沙箱 (可用不可见: SQL over the rows inside the
 * sandbox, whose answers leave only as checked aggregates).
 */
export const AccessUseSchema = z.enum(['detail', 'statistics', 'verification', 'sandbox']);
export type AccessUse = z.infer<typeof AccessUseSchema>;

/** Lifecycle of an access request (共享申请). */
export const AccessRequestStatusSchema = z.enum([
  'pending', // 待审批
  'approved', // 已同意
  'partially_approved', // 部分同意
  'rejected', // 不予同意
  'withdrawn', // 已撤回
]);
export type AccessRequestStatus = z.infer<typeof AccessRequestStatusSchema>;

/** Who reviews a step: the provider's data steward, then (important and core data) its security officer. */
export const ReviewerRoleSchema = z.enum(['data_steward', 'security_officer']);
export type ReviewerRole = z.infer<typeof ReviewerRoleSchema>;

/** State of one approval step. */
export const StepStatusSchema = z.enum(['waiting', 'pending', 'approved', 'rejected', 'cancelled']);
export type StepStatus = z.infer<typeof StepStatusSchema>;

/** Coded reasons for refusing a request (不予共享理由), as the 2025 regulation asks refusals to give reasons. */
export const RejectionReasonSchema = z.enum([
  'no_legal_basis',
  'beyond_stated_purpose',
  'data_not_held',
  'grade_too_high',
  'excessive_items',
  'not_ready_to_share',
  'prohibited_by_law',
  'security_risk',
  'other',
]);
export type RejectionReason = z.infer<typeof RejectionReasonSchema>;

/** Lifecycle of a grant; `expired` is derived from `validUntil`, never stored. */
export const GrantStatusSchema = z.enum(['active', 'suspended', 'revoked', 'expired']);
export type GrantStatus = z.infer<typeof GrantStatusSchema>;

/** Where a grant came from: an approved request, or first use of 无条件共享 data. */
export const GrantOriginSchema = z.enum(['request', 'automatic']);
export type GrantOrigin = z.infer<typeof GrantOriginSchema>;

/** Chinese labels for people. */
export const SHARING_LABELS = {
  use: {
    detail: '明细查询',
    aggregate: '统计分析',
    verification: '数据核验',
    sandbox: '沙箱分析（可用不可见）',
  },
  status: {
    pending: '待审批',
    approved: '已同意',
    partially_approved: '部分同意',
    rejected: '不予同意',
    withdrawn: '已撤回',
  },
  reviewerRole: { data_steward: '数据管理员', security_officer: '安全管理员' },
  rejectionReason: {
    no_legal_basis: '缺少法律法规依据',
    beyond_stated_purpose: '超出申请用途范围',
    data_not_held: '本单位未掌握该数据',
    grade_too_high: '数据级别过高',
    excessive_items: '申请信息项超出必要范围',
    not_ready_to_share: '数据暂不具备共享条件',
    prohibited_by_law: '法律法规禁止共享',
    security_risk: '存在数据安全风险',
    other: '其他',
  },
  grantStatus: { active: '有效', suspended: '已暂停', revoked: '已撤销', expired: '已过期' },
} as const;
