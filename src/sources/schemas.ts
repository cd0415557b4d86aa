import { z } from 'zod';
import {
  DatabaseConfigSchema,
  FileFormatSchema,
  HttpJsonConfigSchema,
  PagingSchema,
  TlsSchema,
} from './source-config.js';
import { DescribedColumnSchema, SourceKindSchema } from './types.js';

const name = z.string().trim().min(1).max(200);
const description = z.string().max(2000).default('');
const common = {
  name,
  description,
  orgId: z.uuid().optional().describe('defaults to the caller’s organisation'),
};

/** Body of POST /sources: a database or an HTTP JSON API (files go through POST /sources/files). */
export const CreateSourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('postgres'),
    ...common,
    ...DatabaseConfigSchema.shape,
    password: z.string().max(1024).optional(),
  }),
  z.strictObject({
    kind: z.literal('mysql').describe('MySQL or MariaDB'),
    ...common,
    ...DatabaseConfigSchema.shape,
    password: z.string().max(1024).optional(),
  }),
  z.strictObject({
    kind: z.literal('http_json'),
    ...common,
    ...HttpJsonConfigSchema.shape,
    authHeaderValue: z.string().max(8192).optional().describe('e.g. `Bearer …`; stored encrypted'),
  }),
]);
export type CreateSourceInput = z.infer<typeof CreateSourceSchema>;

/**
 * Body of PATCH /sources/{id}: any option of the source's kind. A credential set to null is
 * removed; an absent one is kept.
 */
export const UpdateSourceSchema = z.strictObject({
  name: name.optional(),
  description: z.string().max(2000).optional(),
  host: z.string().trim().min(1).max(255).optional(),
  port: z.number().int().min(1).max(65_535).optional(),
  database: z.string().min(1).max(128).optional(),
  user: z.string().min(1).max(128).optional(),
  tls: TlsSchema.optional(),
  password: z.string().max(1024).nullish(),
  url: z.url({ protocol: /^https?$/ }).optional(),
  recordsPath: z.string().max(200).optional(),
  authHeaderName: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .optional(),
  paging: PagingSchema.optional(),
  maxPages: z.number().int().min(1).max(10_000).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  authHeaderValue: z.string().max(8192).nullish(),
});
export type UpdateSourceInput = z.infer<typeof UpdateSourceSchema>;

/** A source as the API shows it: options, never credentials (only whether they are set). */
export const SourceSchema = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  name: z.string(),
  kind: SourceKindSchema,
  description: z.string(),
  connection: z
    .record(z.string(), z.unknown())
    .describe(
      'the non-secret options of the kind: host, port, database, user, tls; url, paging …; or the file’s format',
    ),
  hasPassword: z.boolean(),
  hasAuthHeader: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SourceView = z.infer<typeof SourceSchema>;

/** Query string of POST /sources/files. */
export const UploadQuerySchema = z.strictObject({
  name,
  description: z.string().max(2000).optional(),
  orgId: z.uuid().optional(),
  format: FileFormatSchema.optional().describe('needed only when the Content-Type does not say'),
  encoding: z.enum(['auto', 'utf-8', 'gbk', 'gb18030']).default('auto').describe('of CSV files'),
  delimiter: z.string().min(1).max(1).optional().describe('of CSV files; detected when absent'),
  header: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('of CSV files'),
  sheet: z.string().max(200).optional().describe('of XLSX files: the sheet to import (default the first)'),
});
export type UploadQuery = z.infer<typeof UploadQuerySchema>;

/** Query of PUT /sources/{id}/file (a new version of a file source): how to read the new file. */
export const ReplaceFileQuerySchema = UploadQuerySchema.omit({ name: true, description: true, orgId: true });

/** A file source just imported: the source, and the column types inferred for the steward to check. */
export const ImportedFileSchema = z.object({
  source: SourceSchema,
  rowCount: z.number(),
  columns: z.array(DescribedColumnSchema),
});
export type ImportedFileView = z.infer<typeof ImportedFileSchema>;

/** Body of PATCH /sources/{id}/columns: the steward's corrections to inferred types. */
export const RetypeColumnsSchema = z.strictObject({
  columns: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(255),
        type: z.enum(['string', 'integer', 'number', 'decimal', 'boolean', 'date', 'timestamp', 'json']),
      }),
    )
    .min(1)
    .max(1000),
});
export type RetypeColumnsInput = z.infer<typeof RetypeColumnsSchema>;
