import { join } from 'node:path';
import type { AuditLog } from '../audit/index.js';
import type { Config } from '../config/index.js';
import {
  closeSandboxPools,
  createQueryContext,
  parseSize,
  type QueryContext,
  sealClearHeldRows,
} from '../query/index.js';
import { type SourceRuntime, sourceRuntimeFromConfig, sweepUnfinishedImports } from '../sources/index.js';
import type { Store } from '../store/index.js';
import { openAuditLog } from './open-audit-log.js';
import { openPlatformStore } from './open-platform-store.js';

/** Everything the API serves from: store, audit log, source runtime and the data path. */
export interface Platform {
  store: Store;
  audit: AuditLog;
  sources: SourceRuntime;
  query: QueryContext;
  /** Closes everything; open streamed releases get `releaseGraceMs` to complete, then are cut. */
  close(options?: { releaseGraceMs?: number }): Promise<void>;
}

/** The sandbox limits the configuration sets, with scratch space under the data directory. */
export function sandboxLimits(config: Config) {
  return {
    memoryLimit: config.HUITONG_QUERY_MEMORY,
    threads: config.HUITONG_QUERY_THREADS,
    timeoutMs: config.HUITONG_QUERY_TIMEOUT_SECONDS * 1000,
    scratchRoot: join(config.HUITONG_DATA_DIR, 'tmp'),
    processMemoryBytes:
      config.HUITONG_QUERY_PROCESS_MEMORY === undefined
        ? undefined
        : parseSize(config.HUITONG_QUERY_PROCESS_MEMORY),
    warm: config.HUITONG_QUERY_WARM_SANDBOXES,
    bulkAfterRows:
      config.HUITONG_QUERY_COPY_LOAD === 'off'
        ? Number.POSITIVE_INFINITY
        : config.HUITONG_QUERY_COPY_LOAD_AFTER_ROWS,
  };
}

/** Puts the platform's parts together over a store without touching it (it may be down yet). */
export async function assemblePlatform(store: Store, config: Config, audit?: AuditLog): Promise<Platform> {
  const log = audit ?? (await openAuditLog(store, config));
  const sources = sourceRuntimeFromConfig(config);
  const query = await createQueryContext({
    store,
    audit: log,
    sources,
    sandbox: sandboxLimits(config),
    verification: { perMinute: config.HUITONG_VERIFY_PER_MINUTE, perDay: config.HUITONG_VERIFY_PER_DAY },
    minGroupSize: config.HUITONG_SANDBOX_MIN_GROUP,
    pushdown: config.HUITONG_QUERY_PUSHDOWN === 'on',
    exportCopy: config.HUITONG_EXPORT_COPY === 'on',
    openDataMinK: config.HUITONG_OPEN_DATA_MIN_K,
  });
  return {
    store,
    audit: log,
    sources,
    query,
    close: async (options = {}) => {
      await closeSandboxPools();
      await sources.close();
      await log.close(options);
      await store.close();
    },
  };
}

/**
 * Clears what a previous process left unfinished: uploads cut short, releases without a completion;
 * and seals the held sandbox answers an older version stored in clear (migration 0015 has no key).
 */
export async function recoverPlatform(
  platform: Platform,
): Promise<{ interruptedReleases: number; sealedHeldAnswers: number }> {
  const { store, sources, audit, query } = platform;
  // PGlite's lock makes this process the data directory's only user; over PostgreSQL another
  // process may be mid-upload, so only what no upload could still be writing goes.
  await sweepUnfinishedImports(store.db, sources, {
    olderThanMs: store.kind === 'pglite' ? 0 : 24 * 3600_000,
  });
  const sealedHeldAnswers = await sealClearHeldRows(store.db, query.heldRowsKey);
  return { interruptedReleases: await audit.closeInterruptedReleases(), sealedHeldAnswers };
}

/** Opens the platform's parts over an open store (migrated), in dependency order. */
export async function openPlatformOn(store: Store, config: Config, audit?: AuditLog): Promise<Platform> {
  const platform = await assemblePlatform(store, config, audit);
  // PGlite's lock makes this process the data directory's only user; over PostgreSQL another
  // process may be mid-upload, so only what no upload could still be writing goes.
  await sweepUnfinishedImports(store.db, platform.sources, {
    olderThanMs: store.kind === 'pglite' ? 0 : 24 * 3600_000,
  });
  await sealClearHeldRows(store.db, platform.query.heldRowsKey);
  return platform;
}

/** Opens the configured platform: store (migrated), audit log, sources, query context. */
export async function openPlatform(config: Config): Promise<Platform> {
  return openPlatformOn(await openPlatformStore(config), config);
}
