import { z } from 'zod';

/** TLS towards a database: off, encrypted without verification, or verified against a CA. */
export const TlsSchema = z.strictObject({
  mode: z.enum(['disable', 'require', 'verify-full']).default('disable'),
  ca: z.string().max(20_000).optional().describe('PEM of the CA that signed the server’s certificate'),
  serverName: z.string().max(255).optional().describe('the name to verify, when it differs from host'),
});
export type TlsOptions = z.infer<typeof TlsSchema>;

/** Non-secret options of a PostgreSQL or MySQL/MariaDB source. */
export const DatabaseConfigSchema = z.strictObject({
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65_535),
  database: z.string().min(1).max(128),
  user: z.string().min(1).max(128),
  tls: TlsSchema.default({ mode: 'disable' }),
});
export type DatabaseConfig = z.infer<typeof DatabaseConfigSchema>;

const param = z.string().regex(/^[A-Za-z0-9_.[\]-]{1,64}$/, 'a query parameter name');

/** How an HTTP JSON API pages: not at all, by page number, by offset, or by a cursor in the body. */
export const PagingSchema = z.discriminatedUnion('style', [
  z.strictObject({ style: z.literal('none') }),
  z.strictObject({
    style: z.literal('page'),
    pageParam: param.default('page'),
    sizeParam: param.optional(),
    pageSize: z.number().int().min(1).max(10_000).default(100),
    firstPage: z.number().int().min(0).default(1),
  }),
  z.strictObject({
    style: z.literal('offset'),
    offsetParam: param.default('offset'),
    limitParam: param.default('limit'),
    pageSize: z.number().int().min(1).max(10_000).default(100),
  }),
  z.strictObject({
    style: z.literal('cursor'),
    cursorParam: param.default('cursor'),
    nextCursorPath: z.string().min(1).max(200).describe('dotted path to the next cursor in the body'),
  }),
]);
export type Paging = z.infer<typeof PagingSchema>;

/** Non-secret options of an HTTP JSON API source. */
export const HttpJsonConfigSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  recordsPath: z
    .string()
    .max(200)
    .default('')
    .describe('dotted path to the record array, e.g. `data.items`; empty when the body is the array'),
  authHeaderName: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,64}$/)
    .default('Authorization'),
  paging: PagingSchema.default({ style: 'none' }),
  maxPages: z.number().int().min(1).max(10_000).default(100),
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});
export type HttpJsonConfig = z.infer<typeof HttpJsonConfigSchema>;

/** The credentials of a source: encrypted at rest, never returned. */
export const SourceSecretSchema = z.strictObject({
  password: z.string().max(1024).optional(),
  authHeaderValue: z.string().max(8192).optional(),
});
export type SourceSecret = z.infer<typeof SourceSecretSchema>;

/** The file formats an upload can be in. */
export const FileFormatSchema = z.enum(['csv', 'xlsx', 'parquet', 'json', 'ndjson']);
export type FileFormat = z.infer<typeof FileFormatSchema>;

/** The options an uploaded file was read with, and where its Parquet lives under the data directory. */
export const FileConfigSchema = z.strictObject({
  format: FileFormatSchema,
  path: z.string().describe('Parquet file, relative to the data directory'),
  originalName: z.string().nullable(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  header: z.boolean().nullable(),
  sizeBytes: z.number(),
  rowCount: z.number(),
});
export type FileConfig = z.infer<typeof FileConfigSchema>;
