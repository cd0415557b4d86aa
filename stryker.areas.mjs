// The areas of mutation testing (issue 13): the enforcement code, the grant / quota / open-release
// code, and the masks, each with the test files that exercise it. Shared by stryker.config.mjs
// (what to mutate) and vitest.stryker.config.ts (what to run). MUTATE_AREA picks one; unset, all.

/** @type {Record<string, { mutate: string[], tests: string[] }>} */
export const AREAS = {
  masks: {
    mutate: [
      'src/privacy/mask-sql.ts',
      'src/privacy/mask-js.ts',
      'src/privacy/mask-spec.ts',
      'src/privacy/sql-dialects.ts',
      'src/privacy/address-mask.ts',
      'src/privacy/default-masks.ts',
    ],
    tests: ['src/privacy/mask-sql.test.ts', 'src/privacy/mask-properties.test.ts', 'src/privacy/mask-spec.test.ts'],
  },
  sharing: {
    mutate: [
      'src/sharing/grant-check.ts',
      'src/sharing/quota.ts',
      'src/sharing/usage.ts',
      'src/sharing/resolve-access.ts',
      'src/sharing/open-release.ts',
      'src/sharing/item-filter.ts',
      'src/sharing/masks.ts',
    ],
    // The unit tests next to the code only: the HTTP suites that also reach this code (sharing
    // routes, query, release paths) cost ~2 min per run of all of them, paid again per mutant.
    tests: ['src/sharing/*.test.ts'],
  },
  query: {
    mutate: [
      'src/query/secure-view.ts',
      'src/query/read-view.ts',
      'src/query/plan.ts',
      'src/query/consumer-filter.ts',
      'src/query/sql-guard.ts',
      'src/query/function-policy.ts',
      'src/query/rows.ts',
      'src/query/sql.ts',
      'src/query/verify.ts',
      'src/query/release.ts',
    ],
    // Unit tests first (the Vitest config runs files without a store or server first), then the
    // HTTP suites of the pipeline. Left out: data-in-errors (82 s a run: 43 sandboxes) and the SQL
    // corpus (412 queries), whose code paths the suites below reach too; the sandbox, delivery
    // format and child-process tests cover files that are not mutated.
    tests: [
      'src/query/consumer-filter.test.ts',
      'src/query/function-policy.test.ts',
      'src/query/read-view.test.ts',
      'src/query/release.test.ts',
      'src/query/rows.test.ts',
      'src/query/sql-guard.test.ts',
      'src/query/rows-delivery.test.ts',
      'src/query/sql.test.ts',
      'src/query/sql-delivery.test.ts',
      'src/query/query.test.ts',
      'src/query/sharing-enforcement.test.ts',
      'src/query/release-paths.test.ts',
      'src/query/open-data-keys.test.ts',
      'src/query/source-failure.test.ts',
      // The other uses of a grant (a statistics grant never verifies nor joins other resources in
      // detail; a sandbox grant's answers are checked) and the spans of each stage.
      'src/query/statistics.test.ts',
      'src/query/statistics-sql.test.ts',
      'src/query/sandbox-release/sandbox-release.test.ts',
      'src/http/tracing.test.ts',
    ],
  },
};

/** The areas selected by MUTATE_AREA (comma-separated names), all when unset. */
export function selectedAreas(env = process.env) {
  const names = env.MUTATE_AREA ? env.MUTATE_AREA.split(',') : Object.keys(AREAS);
  return names.map((name) => {
    const area = AREAS[name.trim()];
    if (!area) throw new Error(`MUTATE_AREA: no area ${name} (${Object.keys(AREAS).join(', ')})`);
    return area;
  });
}
