import { execFile } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLI_BUNDLE, CLI_BUNDLE_DIR } from './cli-bundle.js';

// A `huitong serve` on a fresh data directory spends most of its start creating the embedded
// database and migrating it (about 4.5 of 8.5 s on a quiet machine, twice that when CI runs two
// files beside their servers), and the suite starts some fifty such servers. The run migrates
// one store once instead (this global setup, after the CLI's bundle), and the helpers that
// spawn servers copy it into each new data directory: the same rows a first start would have
// written, the first start's own work (the administrator, the keys) still done by the server.
// `huitong migrate` on a fresh directory keeps its own tests (src/cli/cli.test.ts).

/** The migrated data directory the run's spawned servers start from (gitignored, like the bundles). */
export const STORE_TEMPLATE = join(CLI_BUNDLE_DIR, '..', 'store-template');

const run = promisify(execFile);

/** Vitest global setup: migrates a fresh embedded store with the run's CLI bundle. */
export default async function buildStoreTemplate(): Promise<void> {
  const building = `${STORE_TEMPLATE}-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  const { HUITONG_DATABASE_URL: _embedded, ...env } = process.env;
  await run(process.execPath, [CLI_BUNDLE, 'migrate'], {
    env: { ...env, HUITONG_DATA_DIR: building, HUITONG_LOG_LEVEL: 'warn' },
    timeout: 120_000,
  });
  await rm(STORE_TEMPLATE, { recursive: true, force: true });
  await rename(building, STORE_TEMPLATE);
}

/**
 * Gives a new data directory (absent or empty) the run's migrated embedded store, when the run
 * has one, so that the server started on it skips creating and migrating. A directory holding
 * anything (a store, a restore, a marker a test planted) is left as it is.
 */
export function seedDataDir(dataDir: string): void {
  const template = process.env.HUITONG_TEST_STORE_TEMPLATE;
  if (!template || !existsSync(join(template, 'pglite'))) return;
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) return;
  cpSync(join(template, 'pglite'), join(dataDir, 'pglite'), { recursive: true });
}
