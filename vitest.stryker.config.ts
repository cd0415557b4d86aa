import { defineConfig } from 'vitest/config';
// @ts-expect-error: a plain ES module shared with stryker.config.mjs
import { selectedAreas } from './stryker.areas.mjs';

// The Vitest config of mutation runs: only the tests of the selected areas (Stryker's runner
// forces one thread; the project's forks and isolate: false do not apply under it).
export default defineConfig({
  test: {
    include: [...new Set(selectedAreas().flatMap((a: { tests: string[] }) => a.tests))] as string[],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
