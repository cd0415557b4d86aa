import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { createOutboundPolicy, type OutboundPolicy, outboundPolicyFromConfig } from '../net/index.js';
import type { SqlLimits } from './connectors/postgres.js';
import { ConnectorRegistry } from './connectors/registry.js';
import { loadOrCreateSecretKey } from './secret-key.js';

/** Where sources keep their files and how they reach the outside. */
export interface SourceRuntimeOptions {
  dataDir: string;
  /** HUITONG_SECRET_KEY; absent: `<dataDir>/secret.key`. */
  secretKey?: string;
  uploadLimit?: number;
  connectTimeoutMs?: number;
  queryTimeoutMs?: number;
  /** Pool size per source: sources are other organisations' production systems, so small. */
  maxConnections?: number;
  /** Where sources may point; absent: no loopback, private, link-local or metadata address. */
  outbound?: OutboundPolicy;
}

/** What source management and reads share in one process: the key, the limits, the open pools. */
export interface SourceRuntime {
  readonly dataDir: string;
  /** Uploaded files live here as Parquet, one folder per source. */
  readonly filesDir: string;
  readonly uploadLimit: number;
  readonly limits: SqlLimits;
  /** The outbound policy every connector asks before it connects. */
  readonly outbound: OutboundPolicy;
  /** The credentials key, loaded (or generated) on first use. */
  key(): Promise<Buffer>;
  readonly connectors: ConnectorRegistry;
  /** Closes every pool. */
  close(): Promise<void>;
}

/** A runtime over explicit options (tests, the CLI). */
export function createSourceRuntime(options: SourceRuntimeOptions): SourceRuntime {
  let key: Promise<Buffer> | undefined;
  const connectors = new ConnectorRegistry();
  return {
    dataDir: options.dataDir,
    filesDir: join(options.dataDir, 'sources'),
    uploadLimit: options.uploadLimit ?? 2 * 1024 ** 3,
    limits: {
      connectTimeoutMs: options.connectTimeoutMs ?? 5000,
      queryTimeoutMs: options.queryTimeoutMs ?? 300_000,
      maxConnections: options.maxConnections ?? 4,
    },
    outbound: options.outbound ?? createOutboundPolicy(),
    key: () => {
      key ??= loadOrCreateSecretKey(options.dataDir, options.secretKey);
      return key;
    },
    connectors,
    close: () => connectors.closeAll(),
  };
}

/** The runtime the platform's configuration describes. */
export function sourceRuntimeFromConfig(config: Config): SourceRuntime {
  return createSourceRuntime({
    dataDir: config.HUITONG_DATA_DIR,
    secretKey: config.HUITONG_SECRET_KEY,
    uploadLimit: config.HUITONG_UPLOAD_LIMIT,
    connectTimeoutMs: config.HUITONG_SOURCE_CONNECT_TIMEOUT_MS,
    outbound: outboundPolicyFromConfig(config),
  });
}
