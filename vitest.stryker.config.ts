import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { selectedAreas } from './stryker.areas.mjs';
import { SANDBOX_CHILD_BUNDLE } from './test/support/sandbox-child-bundle.js';

// The Vitest config of mutation runs: only the tests of the selected areas (Stryker's runner
// forces one thread; the project's forks and isolate: false do not apply under it).
// Stryker 9.5's Vitest runner registers `afterAll(({ meta }) => …)` in the setup file it copies
// into the sandbox (stryker-setup-<worker>.js). Vitest 4.1 reads the first argument of a suite hook
// as fixtures and throws FixtureAccessError on `meta`, so the per-test coverage (dry run) and the
// hit counts (mutant runs) never reached Stryker: every mutant ran every test file, ~1 min each.
// The suite is the hook's second argument; this rewrites the copied file as it is loaded.
const strykerSetupForVitest41 = {
  name: 'stryker-setup-vitest-4.1',
  enforce: 'pre' as const,
  transform(code: string, id: string) {
    if (!/stryker-setup-\d+\.js$/.test(id)) return null;
    return code.replaceAll('afterAll(({ meta }) => {', 'afterAll(({}, { meta }) => {');
  },
};

// A mutant runs the test files that cover it and stops at the first failure (bail): files that
// need no database or server go first, so a mutant a unit test kills costs no store's set-up.
const SLOW = /describeEachStore|openTestStore|openTestServer/;
class FastFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const slow = (f: TestSpecification) => (SLOW.test(readFileSync(f.moduleId, 'utf8')) ? 1 : 0);
    return [...files].sort((a, b) => slow(a) - slow(b) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  plugins: [strykerSetupForVitest41],
  test: {
    include: [...new Set(selectedAreas().flatMap((a: { tests: string[] }) => a.tests))] as string[],
    testTimeout: 60_000,
    sequence: { sequencer: FastFirst },
    // The sandbox child, bundled once per run (test/support/sandbox-child-bundle.ts).
    globalSetup: ['test/support/sandbox-child-bundle.ts'],
    hookTimeout: 120_000,
    env: {
      // PostgreSQL only (test/support/store.ts): the enforcement code is the same on both stores.
      HUITONG_TEST_STORES: 'postgres',
      HUITONG_OUTBOUND_ALLOW: '127.0.0.1,::1',
      HUITONG_SANDBOX_CHILD: SANDBOX_CHILD_BUNDLE,
    },
  },
});
