import { z } from 'zod';

/** The roles of the platform; the first three are the 三员 whose duties are kept apart. */
export const ROLES = [
  'platform_admin', // 系统管理员
  'security_officer', // 安全管理员
  'auditor', // 审计员
  'org_admin', // 单位管理员
  'data_steward', // 数据管理员: publishes and approves for its organisation
  'analyst', // 数据使用人员: consumes
  'catalog_reviewer', // 目录审核员: the platform's review of what enters the catalog
] as const;

export const RoleSchema = z.enum(ROLES);
/** A role a user or key can hold. */
export type Role = z.infer<typeof RoleSchema>;

/** Names for people, Chinese first. */
export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  platform_admin: { zh: '系统管理员', en: 'Platform administrator' },
  security_officer: { zh: '安全管理员', en: 'Security officer' },
  auditor: { zh: '审计员', en: 'Auditor' },
  org_admin: { zh: '单位管理员', en: 'Organisation administrator' },
  data_steward: { zh: '数据管理员', en: 'Data steward' },
  analyst: { zh: '数据分析员', en: 'Analyst' },
  catalog_reviewer: { zh: '目录审核员', en: 'Catalog reviewer' },
};

/** Separation of duties (三员分立): no one holds two of these. */
export const EXCLUSIVE_ROLES: readonly Role[] = ['platform_admin', 'security_officer', 'auditor'];

/** Roles an API key may carry: applications consume and publish, they never administer or audit. */
export const KEY_ROLES: readonly Role[] = ['data_steward', 'analyst'];

/** Returns the exclusive roles that a set of roles combines, if more than one. */
export function conflictingRoles(roles: readonly Role[]): Role[] {
  const held = EXCLUSIVE_ROLES.filter((r) => roles.includes(r));
  return held.length > 1 ? held : [];
}
