import { createHash } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Tests run the sources under tsx, and a sandbox child started with `--import tsx` spends about a
// second of CPU compiling before its first query. The suite builds the child once instead, and
// src/query/sandbox-process/process.ts starts that bundle (HUITONG_SANDBOX_CHILD) under tsx only.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Worktrees may share one node_modules: each checkout gets a bundle of its own.
const CHECKOUT = createHash('sha256').update(ROOT).digest('hex').slice(0, 12);

/** Where the test run's bundle of the sandbox child goes (inside the project, so that its packages resolve). */
export const SANDBOX_CHILD_BUNDLE = join(
  ROOT,
  'node_modules',
  '.cache',
  'huitong',
  `sandbox-child-${CHECKOUT}.mjs`,
);

/** Vitest global setup: bundles src/query/sandbox-process/child.ts afresh for this run. */
export default async function bundleSandboxChild(): Promise<void> {
  await mkdir(dirname(SANDBOX_CHILD_BUNDLE), { recursive: true });
  // Written aside and renamed: a run still going in this checkout never starts a half-written file.
  const building = `${SANDBOX_CHILD_BUNDLE}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(ROOT, 'src/query/sandbox-process/child.ts')],
    outfile: building,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
  await rename(building, SANDBOX_CHILD_BUNDLE);
}
