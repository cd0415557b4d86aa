import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import { type Injectable, injectFetch } from './inject-fetch.js';
import { accountLines, loadDemo } from './load-demo.js';

/** What the server hands the demo on a first start. */
export interface BackgroundDemoOptions {
  db: Kysely<Database>;
  app: Injectable;
  baseUrl: string;
  dataDir: string;
  write?: (text: string) => void;
}

/**
 * Loads the demo province into a freshly created store while the server already answers, so
 * the portal fills within seconds; prints the demo accounts when done. Never throws: a failed
 * demo leaves a working, emptier platform and says why. True when the demo is there afterwards.
 */
export async function loadDemoInBackground(options: BackgroundDemoOptions): Promise<boolean> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  write('Loading the demo province (福建省) in the background; HUITONG_DEMO=0 starts empty …\n');
  try {
    const result = await loadDemo({
      db: options.db,
      baseUrl: options.baseUrl,
      fetch: injectFetch(options.app),
      dataDir: options.dataDir,
    });
    if (!result.loaded) return true;
    const lines = [
      `Demo loaded in ${(result.elapsedMs / 1000).toFixed(1)} s:`,
      ...result.report.lines(),
      '',
      ...accountLines(),
    ];
    write(`${lines.join('\n')}\n`);
    return true;
  } catch (error) {
    write(`The demo could not be loaded: ${(error as Error).message}\n`);
    return false;
  }
}
