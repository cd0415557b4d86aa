import { z } from 'zod';
import { POSITIONS_TABLE } from './table.js';

// Identifiers the platform creates in the consumer's database: plain, so that they need no
// quoting surprises in either dialect, and at most 63 characters (PostgreSQL truncates beyond,
// MySQL stops at 64).
const identifier = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,62}$/,
    'a name of letters, digits and _ (at most 63, not starting with a digit)',
  );

/** TLS towards the staging database: off, encrypted without verification, or verified against a CA. */
export const StagingTlsSchema = z.strictObject({
  mode: z.enum(['disable', 'require', 'verify-full']).default('disable'),
  ca: z.string().max(20_000).optional().describe('PEM of the CA that signed the server’s certificate'),
  serverName: z.string().max(255).optional().describe('the name to verify, when it differs from host'),
});

/** The consumer's staging database (前置库): where the platform creates its table and writes. */
export const StagingConfigSchema = z
  .strictObject({
    dialect: z.enum(['postgres', 'mysql']),
    host: z.string().trim().min(1).max(255),
    port: z.number().int().min(1).max(65_535),
    database: z.string().min(1).max(128),
    user: z.string().min(1).max(128),
    password: z.string().max(1024).default(''),
    /** PostgreSQL only: the schema of the table (and of huitong_delivery_positions); default public. */
    schema: identifier.optional(),
    /** The table the consumer chooses; created on the first delivery. */
    table: identifier,
    ssl: StagingTlsSchema.optional(),
  })
  .refine((c) => c.table.toLowerCase() !== POSITIONS_TABLE, {
    message: `${POSITIONS_TABLE} is the platform's own position table`,
    path: ['table'],
  })
  .refine((c) => c.dialect === 'postgres' || c.schema === undefined, {
    message: 'a schema is for PostgreSQL only (MySQL: the database)',
    path: ['schema'],
  });
export type StagingConfig = z.infer<typeof StagingConfigSchema>;

/** The staging database as the API shows it (a subscription's channel, a schedule's target): never the password. */
export const stagingViewFields = {
  dialect: z.string().optional(),
  host: z.string().optional(),
  port: z.number().optional(),
  database: z.string().optional(),
  schema: z.string().optional(),
  table: z.string().optional(),
  user: z.string().optional(),
  ssl: StagingTlsSchema.optional(),
};
export type StagingTls = z.infer<typeof StagingTlsSchema>;

/** TLS options for pg / mysql2, or undefined for a plain connection. */
export function stagingTlsOptions(
  tls: StagingTls | undefined,
  host: string,
): { rejectUnauthorized: boolean; ca?: string; servername?: string } | undefined {
  if (!tls || tls.mode === 'disable') return undefined;
  // `require` encrypts without checking who answers (libpq's sslmode=require); verify-full checks both.
  if (tls.mode === 'require') return { rejectUnauthorized: false };
  return { rejectUnauthorized: true, ...(tls.ca ? { ca: tls.ca } : {}), servername: tls.serverName ?? host };
}
