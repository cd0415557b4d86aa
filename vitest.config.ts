import { defineConfig } from 'vitest/config';
import { CLI_BUNDLE } from './test/support/cli-bundle.js';
import { LongestFirstSequencer } from './test/support/longest-first-sequencer.js';
import { SANDBOX_CHILD_BUNDLE } from './test/support/sandbox-child-bundle.js';
import { STORE_TEMPLATE } from './test/support/store-template.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The sandbox child and the CLI, bundled once per run (test/support/sandbox-child-bundle.ts,
    // test/support/cli-bundle.ts): tests start `huitong` from the CLI's bundle, not through tsx.
    globalSetup: [
      'test/support/sandbox-child-bundle.ts',
      'test/support/cli-bundle.ts',
      // Migrates one embedded store that spawned servers copy (after the CLI's bundle: it runs it).
      'test/support/store-template.ts',
    ],
    pool: 'forks',
    // One PGlite per worker, shared by the files it runs (each file gets its own schema):
    // opening PGlite costs seconds, so files must not each open their own.
    isolate: false,
    maxWorkers: 2,
    // Long files first, so that the two workers finish together (test/support/longest-first-sequencer.ts).
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 30_000,
    // The machine's own databases and the tests' local servers are on loopback, which the
    // outbound policy refuses by default; the servers tests spawn inherit this (see
    // TEST_OUTBOUND_ALLOW in test/support/services.ts, which openTestServer uses).
    // No PostgreSQL wire listener in a test's servers unless the test starts one (files run side
    // by side would all want port 8432).
    env: {
      HUITONG_OUTBOUND_ALLOW: '127.0.0.1,::1',
      HUITONG_SANDBOX_CHILD: SANDBOX_CHILD_BUNDLE,
      HUITONG_TEST_CLI: CLI_BUNDLE,
      HUITONG_TEST_STORE_TEMPLATE: STORE_TEMPLATE,
      HUITONG_PG_PORT: '0',
    },
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
  },
});
