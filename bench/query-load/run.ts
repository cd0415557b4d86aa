// bench/query-load (see measure.ts). As bench/query-pushdown: the sandbox child is bundled once
// and named by HUITONG_SANDBOX_CHILD before the platform's modules load (tsx would compile it in
// every child).
import bundleSandboxChild, { SANDBOX_CHILD_BUNDLE } from '../../test/support/sandbox-child-bundle.js';

await bundleSandboxChild();
process.env.HUITONG_SANDBOX_CHILD = SANDBOX_CHILD_BUNDLE;
await import('./measure.js');
