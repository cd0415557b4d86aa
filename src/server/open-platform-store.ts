import { join } from 'node:path';
import { assertNotRestoring } from '../backup/index.js';
import type { Config } from '../config/index.js';
import { migrate, openStore, type Store } from '../store/index.js';
import { lockDataDir } from './data-dir-lock.js';

/** Opens the configured store (PGlite under the data directory, or PostgreSQL) and, unless told not to, migrates it. */
export async function openPlatformStore(
  config: Config,
  options: { migrate?: boolean; applicationName?: string } = {},
): Promise<Store> {
  const migrating = options.migrate ?? true;
  // A restore that began and did not finish leaves its marker: nothing starts on half the data.
  assertNotRestoring(config.HUITONG_DATA_DIR);
  if (config.HUITONG_DATABASE_URL) {
    const store = await openStore({
      databaseUrl: config.HUITONG_DATABASE_URL,
      readCacheMs: config.HUITONG_METADATA_CACHE_MS,
      applicationName: options.applicationName,
    });
    if (migrating) await migrate(store);
    return store;
  }
  const unlock = lockDataDir(config.HUITONG_DATA_DIR);
  try {
    const store = await openStore({
      dataDir: join(config.HUITONG_DATA_DIR, 'pglite'),
      readCacheMs: config.HUITONG_METADATA_CACHE_MS,
    });
    if (migrating) await migrate(store);
    return {
      ...store,
      close: async () => {
        await store.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
