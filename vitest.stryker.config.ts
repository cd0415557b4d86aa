import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { selectedAreas } from './stryker.areas.mjs';
import { SANDBOX_CHILD_BUNDLE } from './test/support/sandbox-child-bundle.js';

// The Vitest config of mutation runs: only the tests of the selected areas (Stryker's runner
// forces one thread; the project's forks and isolate: false do not apply under it).
export default defineConfig({
  test: {
    include: [...new Set(selectedAreas().flatMap((a: { tests: string[] }) => a.tests))] as string[],
    testTimeout: 60_000,
    // The sandbox child, bundled once per run (test/support/sandbox-child-bundle.ts).
    globalSetup: ['test/support/sandbox-child-bundle.ts'],
    hookTimeout: 120_000,
    env: { HUITONG_OUTBOUND_ALLOW: '127.0.0.1,::1', HUITONG_SANDBOX_CHILD: SANDBOX_CHILD_BUNDLE },
  },
});
