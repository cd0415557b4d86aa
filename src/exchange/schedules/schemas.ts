import { z } from 'zod';
import { StagingConfigSchema, stagingViewFields } from '../channels/staging/config.js';
import { resourceSelectionFields } from '../schemas.js';

/** A full copy into the consumer's staging database (前置库): the table's contents replaced in one transaction. */
export const StagingTargetSchema = StagingConfigSchema.extend({ kind: z.literal('staging') });

/** A file kept on the platform for the consumer to download (a release again, checked and logged). */
export const FileTargetSchema = z.strictObject({
  kind: z.literal('file'),
  format: z.enum(['csv', 'ndjson', 'xlsx', 'parquet']).default('csv'),
});

/** Where a scheduled full export goes. */
export const ScheduleTargetSchema = z.discriminatedUnion('kind', [StagingTargetSchema, FileTargetSchema]);
export type ScheduleTarget = z.infer<typeof ScheduleTargetSchema>;

/** Body of POST /delivery-schedules. */
export const CreateDeliveryScheduleSchema = z.strictObject({
  ...resourceSelectionFields,
  cron: z
    .string()
    .min(1)
    .max(200)
    .describe('five (or six, with seconds) cron fields: "0 2 * * *" is 02:00 daily'),
  timezone: z.string().min(1).max(64).default('Asia/Shanghai').describe('IANA time zone the cron is read in'),
  target: ScheduleTargetSchema,
});
export type CreateDeliveryScheduleInput = z.input<typeof CreateDeliveryScheduleSchema>;

/** The target as the API shows it: never a password. */
export const ScheduleTargetViewSchema = z.object({
  kind: z.enum(['staging', 'file']),
  format: z.string().optional(),
  ...stagingViewFields,
});
export type ScheduleTargetView = z.infer<typeof ScheduleTargetViewSchema>;

/** A delivery schedule as the API shows it. */
export const DeliveryScheduleViewSchema = z.object({
  id: z.uuid(),
  orgId: z.string(),
  applicationId: z.string(),
  resourceCode: z.string(),
  fields: z.array(z.string()).nullable(),
  filter: z.array(z.unknown()),
  cron: z.string(),
  timezone: z.string(),
  target: ScheduleTargetViewSchema,
  status: z.enum(['active', 'paused']),
  nextRunAt: z.string().nullable(),
  lastRunAt: z.string().nullable(),
  lastStatus: z.string().nullable().describe('succeeded or failed'),
  lastError: z
    .string()
    .nullable()
    .describe('the code of the last failure (grant_revoked, staging_table_conflict, …)'),
  createdAt: z.string(),
});
export type DeliveryScheduleView = z.infer<typeof DeliveryScheduleViewSchema>;

/** One run of a schedule. */
export const DeliveryRunViewSchema = z.object({
  id: z.uuid(),
  scheduleId: z.uuid(),
  trigger: z.enum(['schedule', 'manual']),
  status: z.enum(['running', 'succeeded', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  rows: z.number().int().nullable(),
  bytes: z.number().int().nullable().describe('the released export’s size'),
  sha256: z.string().nullable().describe('SHA-256 of the released export, as in its release entry'),
  error: z.string().nullable().describe('the code of the failure'),
  file: z.boolean().describe('whether a file is there to download (file targets)'),
});
export type DeliveryRunView = z.infer<typeof DeliveryRunViewSchema>;
