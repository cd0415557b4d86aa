import type { AuditLog } from '../audit/index.js';
import { loadConfig } from '../config/index.js';
import { openAuditLog, openPlatformStore } from '../server/index.js';
import type { Store } from '../store/index.js';

/** Opens the configured store for one command and closes it afterwards. */
export async function withStore<T>(
  work: (store: Store) => Promise<T>,
  options: { migrate?: boolean } = {},
): Promise<T> {
  const store = await openPlatformStore(loadConfig(), options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Opens the store and its audit log, so that a command's changes are logged as the API's are. */
export async function withPlatform<T>(
  work: (platform: { store: Store; audit: AuditLog }) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  return withStore(async (store) => {
    // No timer: a checkpoint is signed when the command closes the log.
    const audit = await openAuditLog(store, { ...config, HUITONG_AUDIT_CHECKPOINT_SECONDS: 0 });
    try {
      return await work({ store, audit });
    } finally {
      await audit.close();
    }
  });
}

/** The actor of changes made from the command line on the server itself. */
export const CLI_ACTOR = { kind: 'system', id: 'cli', orgId: null } as const;
