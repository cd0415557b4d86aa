import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { z } from 'zod';

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const EnvSchema = z.object({
  HUITONG_PORT: z.coerce.number().int().min(0).max(65535).default(8040),
  HUITONG_HOST: z.string().min(1).default('127.0.0.1'),
  HUITONG_DATA_DIR: z.string().min(1).default('./data'),
  HUITONG_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  HUITONG_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HUITONG_BODY_LIMIT: int(1_048_576),
  // Sources: the key that seals credentials (32 bytes, base64 or hex; else <data dir>/secret.key),
  // the largest file upload (2 GiB), and how long a source may take to accept a connection.
  HUITONG_SECRET_KEY: z.string().min(1).optional(),
  HUITONG_UPLOAD_LIMIT: int(2 * 1024 ** 3),
  HUITONG_SOURCE_CONNECT_TIMEOUT_MS: int(5000),
  HUITONG_RATE_LIMIT_PER_KEY: int(1200),
  HUITONG_RATE_LIMIT_PER_IP: int(600),
  HUITONG_SESSION_HOURS: int(12),
  // Verification (核验) must not become an oracle: claims a consumer organisation (anonymous: an
  // address) may check against one resource per minute, and per day when its grant sets no daily
  // call quota. Counted in the store, so every process shares them.
  HUITONG_VERIFY_PER_MINUTE: int(60),
  HUITONG_VERIFY_PER_DAY: int(1000),
  // Live (unrevoked, unexpired) API keys an application may hold: more keys are more buckets to
  // spread guessing over, and more secrets to leak.
  HUITONG_MAX_KEYS_PER_APPLICATION: int(5),
  HUITONG_TRUST_PROXY: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  HUITONG_AUDIT_ORIGIN: z
    .string()
    .regex(/^[^\s+]+$/, 'no spaces or +')
    .default('huitong.local/audit'),
  HUITONG_AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().min(0).default(1000),
  HUITONG_AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(0).default(10),
  // The hot path's reads (API key, resource, binding, source) reused for this long; at most a
  // second (design.md, invariant 2); 0 reads them afresh on every request.
  HUITONG_METADATA_CACHE_MS: z.coerce.number().int().min(0).max(1000).default(500),
  HUITONG_QUERY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  HUITONG_QUERY_MEMORY: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, 'a size such as 1GB')
    .default('1GB'),
  // The sandbox child's resident memory at which it is killed; by default 2 × HUITONG_QUERY_MEMORY + 200 MiB.
  HUITONG_QUERY_PROCESS_MEMORY: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, 'a size such as 3GB')
    .optional(),
  HUITONG_QUERY_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  HUITONG_DEMO: z
    .enum(['0', '1', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
});

/** The platform's configuration, read once from the environment. */
export type Config = Omit<z.infer<typeof EnvSchema>, 'HUITONG_DATA_DIR'> & { HUITONG_DATA_DIR: string };

/** Reads and validates the HUITONG_* environment variables; throws one readable error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return { ...parsed.data, HUITONG_DATA_DIR: resolve(parsed.data.HUITONG_DATA_DIR) };
}

/** The package version, for health and the OpenAPI document (src/ and dist/ sit at the same depth). */
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;
