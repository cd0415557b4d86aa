import { z } from 'zod';
import { PII_KINDS } from './kinds.js';

/** Kinds of personal information a column may hold: the detectable ones and those known by name only. */
export const PERSONAL_INFO_KINDS = [
  ...PII_KINDS,
  'gender', // 性别
  'age', // 年龄
  'ethnicity', // 民族
  'marital', // 婚姻状况 (婚史 is sensitive)
  'religion', // 宗教信仰
  'health', // 健康、病历、诊断
  'biometric', // 指纹、人脸、虹膜
  'location', // 行踪轨迹、精确定位
  'financial', // 收入、存款、交易、征信
  'criminal-record', // 违法犯罪记录
] as const;
/** Zod schema of a personal-information kind. */
export const personalInfoKindSchema = z.enum(PERSONAL_INFO_KINDS);
/** A kind of personal information. */
export type PersonalInfoKind = z.infer<typeof personalInfoKindSchema>;

/** Zod schema of a data grade (GB/T 43697-2024): core, important, or general at level 1–4. */
export const gradeSchema = z.discriminatedUnion('grade', [
  z.object({ grade: z.literal('core') }), // 核心数据
  z.object({ grade: z.literal('important') }), // 重要数据
  z.object({
    grade: z.literal('general'),
    level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  }), // 一般数据
]);
/** A data grade. */
export type Grade = z.infer<typeof gradeSchema>;

// GB/T 35273-2020 personal sensitive information (个人敏感信息), plus children's data (≤ 14).
const SENSITIVE = new Set<PersonalInfoKind>([
  'id-number',
  'passport',
  'bank-card',
  'biometric',
  'health',
  'location',
  'religion',
  'financial',
  'criminal-record',
  'marital',
]);
// Indirect identifiers (quasi-identifiers): harmful mainly in combination.
const INDIRECT = new Set<PersonalInfoKind>(['gender', 'age', 'ethnicity', 'ipv4', 'ipv6']);

/** Whether a kind is personal sensitive information under GB/T 35273-2020. */
export function isSensitiveKind(kind: PersonalInfoKind): boolean {
  return SENSITIVE.has(kind);
}

/**
 * The general-data level a column of this kind proposes: 4 sensitive personal information,
 * 3 direct identifiers, 2 indirect identifiers, 1 nothing personal (credit codes are public).
 */
export function levelOfKind(kind: PersonalInfoKind | null, children = false): 1 | 2 | 3 | 4 {
  if (kind === null || kind === 'credit-code') return 1;
  if (children || SENSITIVE.has(kind)) return 4;
  return INDIRECT.has(kind) ? 2 : 3;
}

/** A total order over grades: general 1–4, then important, then core. */
export function gradeRank(g: Grade): number {
  return g.grade === 'general' ? g.level : g.grade === 'important' ? 5 : 6;
}

/** The higher of grades (a table is graded by its most demanding column). */
export function maxGrade(grades: readonly Grade[]): Grade {
  let best: Grade = { grade: 'general', level: 1 };
  for (const g of grades) if (gradeRank(g) > gradeRank(best)) best = g;
  return best;
}
