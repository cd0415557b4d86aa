import { z } from 'zod';

/** Every kind of personal (or organisational) identifier the detectors report. */
export const PII_KINDS = [
  'id-number', // 居民身份证号码 GB 11643
  'credit-code', // 统一社会信用代码 GB 32100
  'mobile', // 手机号码
  'landline', // 固定电话
  'bank-card', // 银行卡号
  'email', // 电子邮箱
  'passport', // 护照号码
  'plate', // 机动车号牌
  'ipv4',
  'ipv6',
  'name', // 姓名
  'address', // 地址
  'birth-date', // 出生日期
] as const;

/** Zod schema of a detected kind. */
export const piiKindSchema = z.enum(PII_KINDS);
/** A kind of identifier a detector reports. */
export type PiiKind = z.infer<typeof piiKindSchema>;

/** Zod schema of one detector finding; `start`/`end` are UTF-16 offsets, `end` exclusive. */
export const findingSchema = z.object({
  kind: piiKindSchema,
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  value: z.string(),
  confidence: z.number().min(0).max(1),
});
/** One detector finding. */
export type Finding = z.infer<typeof findingSchema>;

/** Confidence at or above which a finding counts as a hit (below it is a look-alike). */
export const HIT_CONFIDENCE = 0.5;

/** Confidence given to pattern matches that fail their check digit: reported, never a hit. */
export const FAILED_CHECK_CONFIDENCE = 0.25;
