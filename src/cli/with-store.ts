import { loadConfig } from '../config/index.js';
import { openPlatformStore } from '../server/index.js';
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
