import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);

// One entry of the outbound allow-list: an address or CIDR (IPv6 in brackets when a port
// follows), or a host name (`*.` for its subdomains), each with an optional `:port`.
const ALLOW_NAME = /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Whether `entry` is one valid HUITONG_OUTBOUND_ALLOW entry (net/ reads its meaning). */
export function isOutboundAllowEntry(entry: string): boolean {
  let target = entry.toLowerCase();
  const withPort = /^(\[[^\]]+\](?:\/\d+)?|[^:]+):(\d{1,5})$/.exec(target);
  if (withPort) {
    const port = Number(withPort[2]);
    if (port < 1 || port > 65_535) return false;
    target = withPort[1] as string;
  }
  target = target.replace(/^\[([^\]]+)\]/, '$1');
  const [address, prefix, ...rest] = target.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return prefix === undefined && ALLOW_NAME.test(address) && !/^[\d.]+$/.test(address);
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** An IPv4 or IPv6 address, optionally with a /prefix no longer than the address. */
function isAddressOrCidr(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const EnvSchema = z.object({
  HUITONG_PORT: z.coerce.number().int().min(0).max(65535).default(8040),
  HUITONG_HOST: z.string().min(1).default('127.0.0.1'),
  HUITONG_DATA_DIR: z.string().min(1).default('./data'),
  HUITONG_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  HUITONG_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // One JSON line per request (at info) only when asked: by default the start-up banner (address,
  // first administrator, demo) is not buried under the console's requests. HUITONG_LOG_FILE sends
  // the JSON log to a file instead of standard output (the banner stays on standard output).
  HUITONG_LOG_REQUESTS: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  HUITONG_LOG_FILE: z.string().min(1).optional(),
  HUITONG_BODY_LIMIT: int(1_048_576),
  // Sources: the key that seals credentials (32 bytes, base64 or hex; else <data dir>/secret.key),
  // the largest file upload (2 GiB), and how long a source may take to accept a connection.
  HUITONG_SECRET_KEY: z.string().min(1).optional(),
  HUITONG_UPLOAD_LIMIT: int(2 * 1024 ** 3),
  HUITONG_SOURCE_CONNECT_TIMEOUT_MS: int(5000),
  // Outbound connections (sources; later webhooks and peers) to loopback, private, link-local
  // and metadata addresses are refused unless named here: comma-separated CIDRs, addresses and
  // host names, each with an optional :port (docs/sources.md, "Outbound policy").
  HUITONG_OUTBOUND_ALLOW: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== ''),
    )
    .refine((entries) => entries.every(isOutboundAllowEntry), {
      message: 'comma-separated CIDRs, addresses or host names, each with an optional :port',
    }),
  HUITONG_RATE_LIMIT_PER_KEY: int(1200),
  HUITONG_RATE_LIMIT_PER_IP: int(600),
  HUITONG_SESSION_HOURS: int(12),
  // Verification (核验) must not become an oracle: claims a consumer organisation (anonymous: an
  // address) may check against one resource per minute, and per day when its grant sets no daily
  // call quota. Counted in the store, so every process shares them.
  HUITONG_VERIFY_PER_MINUTE: int(60),
  HUITONG_VERIFY_PER_DAY: int(1000),
  // 可用不可见: the least source rows behind each row a sandbox answer releases (k; never under 10).
  HUITONG_SANDBOX_MIN_GROUP: z.coerce.number().int().min(10).max(100_000).default(10),
  // The least k an open release's quasi-identifiers must reach (docs/privacy.md, k-anonymity):
  // a steward may ask for more, never for less.
  HUITONG_OPEN_DATA_MIN_K: int(5),
  // Live (unrevoked, unexpired) API keys an application may hold: more keys are more buckets to
  // spread guessing over, and more secrets to leak.
  HUITONG_MAX_KEYS_PER_APPLICATION: int(5),
  // The reverse proxies whose X-Forwarded-For / -Proto are believed: addresses or CIDRs, comma
  // separated. None by default, so that a caller cannot name its own address (rate limits, login
  // lockout and the audit log's `ip` all key on it).
  HUITONG_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.every(isAddressOrCidr), 'a comma-separated list of IP addresses or CIDRs'),
  // Login lockout (per account, and per client address across accounts): after BACKOFF_AFTER
  // failures each further attempt waits 1, 2, 4… seconds; after LOCK_AFTER failures the account
  // (or address) is locked for LOCK_SECONDS. Failures are forgotten after FORGET_SECONDS without one.
  HUITONG_LOGIN_BACKOFF_AFTER: int(5),
  HUITONG_LOGIN_LOCK_AFTER: int(10),
  HUITONG_LOGIN_ADDRESS_BACKOFF_AFTER: int(20),
  HUITONG_LOGIN_ADDRESS_LOCK_AFTER: int(50),
  HUITONG_LOGIN_LOCK_SECONDS: int(900),
  HUITONG_LOGIN_FORGET_SECONDS: int(86_400),
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
  // Whether SQL's conditions and limits are pushed into the sources (docs/query.md); `off` loads
  // every allowed row as before, for comparison and as a way out should a source misbehave.
  HUITONG_QUERY_PUSHDOWN: z.enum(['on', 'off']).default('on'),
  // Whether CSV and Parquet exports of PostgreSQL resources stream from the source's COPY
  // (docs/query.md); `off` encodes row objects as before, for comparison and as a way out.
  HUITONG_EXPORT_COPY: z.enum(['on', 'off']).default('on'),
  // Whether SQL loads a large side (past one append batch) from its PostgreSQL source's COPY
  // instead of row objects (docs/query.md); `off` keeps every side on rows, for comparison.
  HUITONG_QUERY_COPY_LOAD: z.enum(['on', 'off']).default('on'),
  // The rows a side must pass to be loaded from COPY (one append batch by default; 0: every side
  // whose read COPY can carry, as the canary hunt runs it).
  HUITONG_QUERY_COPY_LOAD_AFTER_ROWS: z.coerce.number().int().min(0).default(8192),
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
  // Sandbox children kept started and idle, so that a query does not wait for a process to start;
  // by default one per core. Each idle child holds about 90 MiB; 0 starts one per query.
  HUITONG_QUERY_WARM_SANDBOXES: z.coerce.number().int().min(0).max(64).optional(),
  // How long a SIGTERM waits for in-flight requests (slow downloads above all) before it cuts
  // them, each cut release with its completion entry; below an orchestrator's kill (k8s: 30 s).
  HUITONG_SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(20),
  // Scheduled backups (docs/deployment.md): an archive every INTERVAL_HOURS (0: none) into
  // BACKUP_DIR, of which the newest KEEP stay. Off unless BACKUP_DIR is set.
  HUITONG_BACKUP_DIR: z.string().min(1).optional(),
  HUITONG_BACKUP_INTERVAL_HOURS: z.coerce.number().min(0).max(8760).default(24),
  HUITONG_BACKUP_KEEP: int(7),
  // Governance (docs/governance.md): how often the deadline sweep sends reminders and escalations
  // (minutes; 0 turns it off, e.g. for a second API process beside the one that sweeps).
  HUITONG_DEADLINE_SWEEP_MINUTES: z.coerce.number().int().min(0).max(1440).default(15),
  // Working days overdue after which the platform's administrators are told as well as the
  // department's (自动上报平台督办); 0 leaves escalation with the department.
  HUITONG_DEADLINE_PLATFORM_ESCALATION_DAYS: z.coerce.number().int().min(0).max(366).default(0),
  // Early warning (docs/warning.md): how often the detectors evaluate the new audit entries
  // (seconds: a fallback for other processes' entries, since a process's own appends wake them
  // within 200 ms; 0 turns them off in this process; several processes take turns), and
  // where each new alert is posted as JSON besides the console (through the outbound policy).
  HUITONG_WARNING_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).default(2),
  HUITONG_WARNING_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  // …and the NATS server each new or grown alert is published on (`huitong.warning.<severity>`).
  HUITONG_WARNING_NATS_URL: z.url({ protocol: /^(nats|tls)$/ }).optional(),
  // Subscriptions (docs/subscriptions.md): the NATS JetStream server of the `nats` push channel,
  // where each consumer organisation has its stream `HUITONG_<ORG>` on `huitong.<org>.>` and each
  // event is a message on `huitong.<org>.<resource>` (absent: the channel is not offered). The
  // operator's address, so not subject to the outbound policy.
  HUITONG_SUBSCRIPTION_NATS_URL: z.url({ protocol: /^(nats|tls)$/ }).optional(),
  // The WAL a source's replication slot may hold back before the capture status raises an alert
  // (bytes; 1 GiB by default): a slot nobody consumes fills the provider's disk.
  // How often a member node fetches the root's signed federation configuration (seconds).
  HUITONG_FEDERATION_REFRESH_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  // How often this node's witness checks and cosigns its peers' audit checkpoints and reports to
  // the root (seconds; 0 turns it off in this process, e.g. for a second API process).
  HUITONG_FEDERATION_WITNESS_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  // How often a member node reports its catalog changes to its parent (seconds; 2 s keeps a
  // change searchable at the parent within 5 s).
  HUITONG_FEDERATION_REPORT_SECONDS: z.coerce.number().min(0.2).max(3_600).default(2),
  HUITONG_CAPTURE_WAL_ALERT_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(1024 ** 3),
  // The Chinese font PDF exports embed (`/path/font.ttf` or `/path/fonts.ttc#PostScriptName`);
  // unset: the first of the usual system fonts (fonts-noto-cjk, fonts-wqy-microhei …).
  HUITONG_PDF_FONT: z.string().min(1).optional(),
  // Data quality: how often due resources' rules are looked for (each runs on its own schedule,
  // daily by default; 0 turns the sweep off, e.g. for a second API process).
  HUITONG_QUALITY_SWEEP_MINUTES: z.coerce.number().int().min(0).max(1440).default(5),
  // Catalog review (目录审核, docs/catalog.md): `required` holds every publication and change of a
  // published entry for the platform's catalog reviewer; `off` applies them at once (a small pilot
  // with no reviewer yet, and the test suite's servers unless a test asks for review).
  HUITONG_CATALOG_REVIEW: z.enum(['required', 'off']).default('required'),
  // Behind a load balancer: how long a SIGTERM keeps serving while /api/health/ready answers 503,
  // so that the balancer's checks take the process out before it stops accepting (0: at once).
  HUITONG_SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(600).default(0),
  // Monitoring (docs/deployment.md, "Monitoring"): GET /metrics on the API port for a Bearer
  // token (absent: no such route), and/or on a port of its own bound to 127.0.0.1.
  HUITONG_METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  HUITONG_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // The PostgreSQL wire protocol (docs/pg-wire.md): its port and, optionally, a PEM certificate
  // and key, which make TLS required of every client. Off (0) by default until the canary hunt
  // covers it as it covers every other way data leaves (issue 20); 8432 is the usual choice.
  HUITONG_PG_PORT: z.coerce.number().int().min(0).max(65535).default(8432),
  HUITONG_PG_TLS_CERT: z.string().min(1).optional(),
  HUITONG_PG_TLS_KEY: z.string().min(1).optional(),
  HUITONG_DEMO: z
    .enum(['0', '1', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
});

/** The platform's configuration, read once from the environment. */
export type Config = Omit<z.infer<typeof EnvSchema>, 'HUITONG_DATA_DIR'> & { HUITONG_DATA_DIR: string };

/** Reads and validates the HUITONG_* environment variables; throws one readable error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Replaced: `1` believed X-Forwarded-For from anyone, so that any caller could choose its address.
  if (env.HUITONG_TRUST_PROXY !== undefined)
    throw new Error(
      'Invalid configuration: HUITONG_TRUST_PROXY is replaced by HUITONG_TRUSTED_PROXIES (the proxies’ addresses or CIDRs)',
    );
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const { HUITONG_DATA_DIR, HUITONG_BACKUP_DIR } = parsed.data;
  return {
    ...parsed.data,
    HUITONG_DATA_DIR: resolve(HUITONG_DATA_DIR),
    ...(HUITONG_BACKUP_DIR ? { HUITONG_BACKUP_DIR: resolve(HUITONG_BACKUP_DIR) } : {}),
  };
}

/** The package version, for health and the OpenAPI document (src/ and dist/ sit at the same depth). */
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;
