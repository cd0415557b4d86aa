import { z } from 'zod';
import { RoleSchema } from './roles.js';

export const OrganizationKindSchema = z
  .enum(['department', 'enterprise', 'platform'])
  .describe('部门 / 企业 / 平台运营方');
export const OrganizationLevelSchema = z
  .enum(['national', 'provincial', 'municipal', 'county'])
  .describe('国家级 / 省级 / 市级 / 县级');

const name = z.string().trim().min(1).max(200);
const regionCode = z.string().regex(/^\d{6}$/, 'must be a six-digit GB/T 2260 code');
const creditCode = z
  .string()
  .regex(/^[0-9A-Z]{18}$/, 'must be an 18-character unified social credit code')
  .describe('统一社会信用代码 (GB 32100)');

/** Body of POST /organizations. */
export const CreateOrganizationSchema = z.strictObject({
  name,
  kind: OrganizationKindSchema,
  level: OrganizationLevelSchema,
  regionCode: regionCode.describe('行政区划代码 (GB/T 2260)'),
  parentId: z.uuid().nullish(),
  creditCode: creditCode.nullish(),
});
export type CreateOrganizationInput = z.infer<typeof CreateOrganizationSchema>;

/** Body of PATCH /organizations/{id}. */
export const UpdateOrganizationSchema = CreateOrganizationSchema.partial();
export type UpdateOrganizationInput = z.infer<typeof UpdateOrganizationSchema>;

export const OrganizationSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: OrganizationKindSchema,
  level: OrganizationLevelSchema,
  regionCode: z.string(),
  regionName: z.string().nullable(),
  parentId: z.uuid().nullable(),
  creditCode: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type OrganizationView = z.infer<typeof OrganizationSchema>;

const username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{2,63}$/, 'lower-case letters, digits, . _ - ; 3 to 64 characters');
const password = z.string().min(10, 'at least 10 characters').max(200);

/** Body of POST /users. */
export const CreateUserSchema = z.strictObject({
  orgId: z.uuid(),
  username,
  displayName: z.string().trim().min(1).max(100),
  email: z.email().nullish(),
  password,
  roles: z.array(RoleSchema).min(1).max(6),
  mustChangePassword: z
    .boolean()
    .optional()
    .describe('the user must change this password at the first sign-in (等保); true unless false is given'),
});
export type CreateUserInput = z.infer<typeof CreateUserSchema>;

/** Body of PATCH /users/{id}. */
export const UpdateUserSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(100).optional(),
  email: z.email().nullish(),
  password: password.optional(),
  roles: z.array(RoleSchema).min(1).max(6).optional(),
  disabled: z.boolean().optional(),
  mustChangePassword: z
    .boolean()
    .optional()
    .describe('with a new password set for someone else: true unless false is given (等保)'),
});
export type UpdateUserInput = z.infer<typeof UpdateUserSchema>;

export const UserSchema = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  roles: z.array(RoleSchema),
  disabled: z.boolean(),
  mustChangePassword: z
    .boolean()
    .describe('every call but the password change is refused until it is changed'),
  createdAt: z.iso.datetime(),
  lastLoginAt: z.iso.datetime().nullable(),
});
export type UserView = z.infer<typeof UserSchema>;

/** Body of POST /auth/login. */
export const LoginSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

/** Body of POST /applications. */
export const CreateApplicationSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).default(''),
  orgId: z.uuid().optional().describe('defaults to the caller’s organisation'),
});
export type CreateApplicationInput = z.infer<typeof CreateApplicationSchema>;

export const UpdateApplicationSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2000).optional(),
});
export type UpdateApplicationInput = z.infer<typeof UpdateApplicationSchema>;

export const ApplicationSchema = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  name: z.string(),
  description: z.string(),
  createdAt: z.iso.datetime(),
});
export type ApplicationView = z.infer<typeof ApplicationSchema>;

/** Body of POST /applications/{id}/keys. */
export const CreateApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  roles: z.array(RoleSchema).min(1).default(['analyst']),
  expiresAt: z.iso.datetime({ offset: true }).nullish(),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeySchema>;

export const ApiKeySchema = z.object({
  id: z.uuid(),
  applicationId: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('the visible start of the key, to recognise it'),
  roles: z.array(RoleSchema),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  status: z.enum(['active', 'expired', 'revoked']),
});
export type ApiKeyView = z.infer<typeof ApiKeySchema>;
