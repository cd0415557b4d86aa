import { type AuditLog, createAuditLog } from '../audit/index.js';
import type { Config } from '../config/index.js';
import type { Store } from '../store/index.js';

/** Opens the platform's audit log with its key from the data directory (created on first start). */
export function openAuditLog(store: Store, config: Config, instance?: string): Promise<AuditLog> {
  return createAuditLog(store, {
    instance,
    dataDir: config.HUITONG_DATA_DIR,
    origin: config.HUITONG_AUDIT_ORIGIN,
    checkpointEvery: config.HUITONG_AUDIT_CHECKPOINT_EVERY,
    checkpointIntervalMs: config.HUITONG_AUDIT_CHECKPOINT_SECONDS * 1000,
  });
}
