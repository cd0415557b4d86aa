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
    tests: [
      'src/sharing/*.test.ts',
      'src/http/routes/sharing/*.test.ts',
      'src/query/query.test.ts',
      'src/query/release-paths.test.ts',
    ],
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
    tests: ['src/query/**/*.test.ts', 'test/sql-corpus/*.test.ts'],
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
