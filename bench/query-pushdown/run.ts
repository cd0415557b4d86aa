// bench/query-pushdown (see measure.ts). Every SQL query runs in a sandbox child process; under
// tsx that child would spend about a second compiling itself, so, as bench/pg-wire does, the
// child is bundled once and named by HUITONG_SANDBOX_CHILD before the platform's modules load.
import bundleSandboxChild, { SANDBOX_CHILD_BUNDLE } from '../../test/support/sandbox-child-bundle.js';

await bundleSandboxChild();
process.env.HUITONG_SANDBOX_CHILD = SANDBOX_CHILD_BUNDLE;
await import('./measure.js');
