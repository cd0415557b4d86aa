import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Tests that start the `huitong` command (a CLI command, or `huitong serve`) used to start
// `node --import tsx src/cli/main.ts`: tsx compiled the whole CLI and server in every process,
// 5–20 s of CPU apiece on a busy two-core machine, hundreds of times per run. The run bundles the
// CLI once instead (esbuild, as for the sandbox child) and the tests start that bundle with plain
// Node, as bin/huitong.js starts dist/cli/main.js: same entry, same arguments, same exit codes.
//
// The bundle sits two folders below the checkout, as dist/cli/main.js does, because the modules
// find files relative to themselves (import.meta.url): ../../package.json (the version),
// ../../web/dist (the console), and ./child.js (the sandbox child, built beside it; a bundle,
// unlike the sources under tsx, ignores HUITONG_SANDBOX_CHILD). Inside the checkout, not in
// node_modules: worktrees may share one node_modules (a symlink), which Node resolves to the
// checkout that owns it, and each checkout must run its own code and console.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The folder of the test run's bundles (gitignored). */
export const CLI_BUNDLE_DIR = join(ROOT, '.test-build', 'cli');

/** The test run's bundle of src/cli/main.ts. */
export const CLI_BUNDLE = join(CLI_BUNDLE_DIR, 'main.js');

/**
 * The command that runs `huitong` from this checkout's sources: the run's bundle under Vitest
 * (HUITONG_TEST_CLI, set by vitest.config.ts), else (benchmarks, the soak) src/cli/main.ts under tsx.
 */
export function huitongCommand(): { command: string; args: string[] } {
  const bundle = process.env.HUITONG_TEST_CLI;
  if (bundle) {
    if (!existsSync(bundle))
      throw new Error(`${bundle} is missing: the global setup test/support/cli-bundle.ts builds it`);
    return { command: process.execPath, args: [bundle] };
  }
  return { command: process.execPath, args: ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')] };
}

/** Vitest global setup: bundles the CLI (and the sandbox child it forks) afresh for this run. */
export default async function bundleCli(): Promise<void> {
  await mkdir(CLI_BUNDLE_DIR, { recursive: true });
  // Written aside and renamed: a run still going in this checkout never starts a half-written file.
  const building = join(CLI_BUNDLE_DIR, `building-${process.pid}`);
  await build({
    entryPoints: {
      main: join(ROOT, 'src/cli/main.ts'),
      child: join(ROOT, 'src/query/sandbox-process/child.ts'),
    },
    outdir: building,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  // The child first: a new main.js never forks an old child.
  for (const name of ['child.js', 'main.js']) await rename(join(building, name), join(CLI_BUNDLE_DIR, name));
  await rm(building, { recursive: true, force: true });
}
