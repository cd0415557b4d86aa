// bench/federated-join (see measure.ts). As bench/query-pushdown: the sandbox child is bundled
// once and named by HUITONG_SANDBOX_CHILD before the platform's modules load; under tsx each
// child would compile itself (about a second of CPU per query), which a built server never does.
import bundleSandboxChild, { SANDBOX_CHILD_BUNDLE } from '../../test/support/sandbox-child-bundle.js';

await bundleSandboxChild();
process.env.HUITONG_SANDBOX_CHILD = SANDBOX_CHILD_BUNDLE;
await import('./measure.js');
