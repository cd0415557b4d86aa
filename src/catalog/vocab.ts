import { z } from 'zod';

// The closed vocabularies of a catalog entry (政务信息资源目录编制指南, GB/T 43697-2024).
// Codes are English in code and in the API; the Chinese labels are what people read.

/** 共享类型: unconditional / conditional (needs an application) / not shared (legal basis required). */
export const SharingTypeSchema = z.enum(['unconditional', 'conditional', 'not_shared']);
export type SharingType = z.infer<typeof SharingTypeSchema>;

/** 开放类型 for the open-data portal. */
export const OpenTypeSchema = z.enum(['unconditional', 'conditional', 'not_open']);
export type OpenType = z.infer<typeof OpenTypeSchema>;

/** 共享方式: how shared data is delivered. */
export const SharingMethodSchema = z.enum(['api', 'file', 'subscription', 'verification']);
export type SharingMethod = z.infer<typeof SharingMethodSchema>;

/** 更新周期. */
export const UpdateCycleSchema = z.enum([
  'realtime',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'half_yearly',
  'yearly',
  'irregular',
]);
export type UpdateCycle = z.infer<typeof UpdateCycleSchema>;

/** 数据分级 (GB/T 43697-2024): core, important, general (general is further levelled 1–4). */
export const GradeSchema = z.enum(['core', 'important', 'general']);
export type Grade = z.infer<typeof GradeSchema>;

/** Lifecycle of a resource: 草稿 → 已发布 → 已下线. */
export const ResourceStatusSchema = z.enum(['draft', 'published', 'retired']);
export type ResourceStatus = z.infer<typeof ResourceStatusSchema>;

/** Kinds of personal (sensitive) information, after GB/T 35273-2020. */
export const PersonalKindSchema = z.enum([
  'basic', // 个人基本资料
  'identity_document', // 身份证件号码
  'biometric', // 生物识别信息
  'bank_account', // 银行账户
  'communication', // 通信记录和内容
  'property', // 财产信息
  'credit', // 征信信息
  'location', // 行踪轨迹
  'health', // 健康生理信息
  'transaction', // 交易信息
  'minor', // 14 岁以下儿童的个人信息
  'other',
]);
export type PersonalKind = z.infer<typeof PersonalKindSchema>;

/** Chinese labels of every code above, for UI strings, import sheets and facets. */
export const LABELS = {
  sharingType: { unconditional: '无条件共享', conditional: '有条件共享', not_shared: '不予共享' },
  openType: { unconditional: '无条件开放', conditional: '有条件开放', not_open: '不予开放' },
  sharingMethod: { api: '接口', file: '文件', subscription: '库表订阅', verification: '核验' },
  updateCycle: {
    realtime: '实时',
    daily: '每日',
    weekly: '每周',
    monthly: '每月',
    quarterly: '每季度',
    half_yearly: '每半年',
    yearly: '每年',
    irregular: '不定期',
  },
  grade: { core: '核心数据', important: '重要数据', general: '一般数据' },
  status: { draft: '草稿', published: '已发布', retired: '已下线' },
  personalKind: {
    basic: '个人基本资料',
    identity_document: '个人身份信息',
    biometric: '生物识别信息',
    bank_account: '银行账户信息',
    communication: '通信信息',
    property: '财产信息',
    credit: '征信信息',
    location: '行踪轨迹',
    health: '健康生理信息',
    transaction: '交易信息',
    minor: '未成年人信息',
    other: '其他个人信息',
  },
  level: { national: '国家级', provincial: '省级', municipal: '市级', county: '县级' },
} as const;

/** Finds the code whose Chinese label or English code is `text` (import sheets use either). */
export function codeForLabel<K extends keyof typeof LABELS>(
  vocabulary: K,
  text: string,
): keyof (typeof LABELS)[K] | undefined {
  const wanted = text.trim();
  const labels = LABELS[vocabulary] as Record<string, string>;
  for (const [code, label] of Object.entries(labels)) {
    if (code === wanted || label === wanted || label.replace(/数据$/, '') === wanted) {
      return code as keyof (typeof LABELS)[K];
    }
  }
  return undefined;
}
