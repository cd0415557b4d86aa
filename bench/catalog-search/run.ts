// Catalog search benchmark: 100,000 generated resources; 1,000 varied keyword + two-facet
// searches through searchResources (with count and all facets), p50/p95 on PGlite and
// PostgreSQL, against a plain ILIKE query with the same filters in the same run.
// Run: npx tsx bench/catalog-search/run.ts [count] (HUITONG_BENCH_SEARCH_QUERIES: how many queries;
// HUITONG_BENCH_STORES: pglite,postgres)
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { sql } from 'kysely';
import { type SearchQuery, searchResources } from '../../src/catalog/index.js';
import { dropSchema, migrate, openStore, type Store } from '../../src/store/index.js';
import { generate, QUERIES } from './generate.js';

const COUNT = Number(process.argv[2] ?? 100_000);
// Fewer queries on a loaded machine: HUITONG_BENCH_SEARCH_QUERIES=200 (the table says how many).
const RUNS = Number(process.env.HUITONG_BENCH_SEARCH_QUERIES ?? 1000);
const POSTGRES = process.env.HUITONG_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function bench(store: Store) {
  const started = performance.now();
  const orgIds = await generate(store, COUNT);
  const loadSeconds = (performance.now() - started) / 1000;
  const actor = {
    kind: 'user' as const,
    userId: randomUUID(),
    orgId: orgIds[0]!,
    username: 'bench',
    roles: ['analyst' as const],
  };
  const queries: SearchQuery[] = Array.from({ length: RUNS }, (_, i) => QUERIES(i));
  for (const q of queries.slice(0, 20)) await searchResources(store.db, actor, q); // warm-up
  const ours: number[] = [];
  const baseline: number[] = [];
  let hits = 0;
  for (const q of queries) {
    ours.push(await time(async () => (hits += (await searchResources(store.db, actor, q)).count)));
    // Baseline: what a naive catalog does, the same keyword as ILIKE on name and summary, the same filters.
    baseline.push(
      await time(() =>
        sql`select id, code, name from resources
            where status = 'published' and (sharing_type <> 'not_shared' or provider_id = ${actor.orgId})
              and (name ilike ${`%${q.q}%`} or summary ilike ${`%${q.q}%`})
              and ${sql.ref(q.sharingType ? 'sharing_type' : 'grade')} = ${q.sharingType ?? q.grade}
              and ${sql.ref(q.updateCycle ? 'update_cycle' : 'provider_region')} like ${q.updateCycle ?? `${q.region}%`}
            order by published_at desc limit 20`.execute(store.db),
      ),
    );
  }
  return { loadSeconds, ours, baseline, hits };
}

// HUITONG_BENCH_STORES=postgres measures one store only (PGlite's load of 100,000 resources is slow).
const STORES = (process.env.HUITONG_BENCH_STORES ?? 'pglite,postgres').split(',');
const targets = (
  [
    ['pglite', () => openStore({})],
    ['postgres', () => openStore({ databaseUrl: POSTGRES, schema: `bench_catalog_${Date.now()}` })],
  ] as Array<[string, () => Promise<Store>]>
).filter(([kind]) => STORES.includes(kind));
console.log(
  `> ${COUNT} resources, ${RUNS} varied queries (keyword + two facet filters, with the count and every facet), ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ' / ',
    )}. Target: p95 ≤ 20 ms. Baseline: the same filters with ILIKE on name and summary, straight on the store.`,
);
console.log('| store | load | search p50 | search p95 | ILIKE p50 | ILIKE p95 | p95 ratio | mean hits |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [kind, open] of targets) {
  let store: Store;
  try {
    store = await open();
  } catch (error) {
    console.log(`> ${kind}: skipped (${(error as Error).message})`);
    continue;
  }
  try {
    await migrate(store);
    const r = await bench(store);
    const ms = (xs: number[], p: number) => `${percentile(xs, p).toFixed(1)} ms`;
    console.log(
      `| ${kind} | ${r.loadSeconds.toFixed(0)} s | ${ms(r.ours, 0.5)} | ${ms(r.ours, 0.95)} | ${ms(r.baseline, 0.5)} | ${ms(r.baseline, 0.95)} | ` +
        `${(percentile(r.ours, 0.95) / percentile(r.baseline, 0.95)).toFixed(2)} | ${(r.hits / RUNS).toFixed(0)} |`,
    );
  } finally {
    if (kind === 'postgres') await dropSchema(store, store.schema);
    await store.close();
  }
}
