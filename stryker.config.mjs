// Mutation testing of the enforcement code (issue 13): `npm run mutate` (all areas, slow) or
// `MUTATE_AREA=masks npm run mutate`; see docs/robustness.md for the scores and how to read them.
import { selectedAreas } from './stryker.areas.mjs';

// Every surviving mutant runs every test that covers it: fewer property runs keep that bearable.
process.env.MASK_PROPERTY_RUNS ??= '100';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  mutate: selectedAreas().flatMap((a) => a.mutate),
  // `--incremental` keeps one file per area selection: a rerun after new tests re-tests only the
  // mutants whose code or covering tests changed.
  incrementalFile: `reports/stryker-incremental-${(process.env.MUTATE_AREA ?? 'all').replaceAll(',', '-')}.json`,
  // A static mutant (a module-level constant: a zod schema, a lookup table, a regular expression)
  // is active while modules load, so Stryker must rerun every test for it, and the Vitest runner
  // counts a test file that then fails to load as a survivor. They are left out of the score and
  // listed as ignored in the report; docs/robustness.md says how each area's were judged.
  ignoreStatic: true,
  // The machine is shared: one test process; raise with --concurrency on a free machine.
  concurrency: 1,
  coverageAnalysis: 'perTest',
  // Tests reach real PostgreSQL, MariaDB and DuckDB: give a slow query room before calling it a timeout.
  timeoutMS: 60_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  // MUTATE_REPORT names a run's reports, so that two runs (other files, other temp dirs) keep both.
  htmlReporter: { fileName: `reports/mutation/${process.env.MUTATE_REPORT ?? 'mutation'}.html` },
  jsonReporter: { fileName: `reports/mutation/${process.env.MUTATE_REPORT ?? 'mutation'}.json` },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  ignorePatterns: ['web', 'dist', 'data', 'bench/out', 'reports', 'test-artifacts', '.vitest-report.json'],
};
