// What bounds report-up: the parent's cost of applying reported entries, in this process on an
// in-memory PGlite (no HTTP, no signatures, no disk), with the search index as built (GIN with its
// pending list, merged by each report: migration 0034), as migration 0030 made it (fastupdate
// off: term by term), and without the index. The same entries,
// as the child's reporter builds them (resourceViewsById), applied through applyReport in
// batches of 1,000. Run: npx tsx bench/federation/apply-cost.ts [count, default 10000]
import { sql } from 'kysely';
import { resourceViewsById } from '../../src/catalog/index.js';
import { applyReport } from '../../src/federation/catalog-apply.js';
import type { FederationConfig, FederationNode } from '../../src/federation/config-schema.js';
import { migrate, openStore } from '../../src/store/index.js';
import { generate } from '../catalog-search/generate.js';
import { fixed, row } from '../support/load.js';

const COUNT = Number(process.argv[2] ?? 10_000);
const VARIANTS: Record<string, ReturnType<typeof sql>[] | undefined> = {
  'GIN, fastupdate on, merged per report (as built, migration 0034)': undefined,
  'GIN, fastupdate off (migration 0030 alone)': [
    sql`ALTER INDEX federation_catalog_entries_search SET (fastupdate = off)`,
  ],
  // A GIN index over nothing but the tags stands in (applyReport merges the index by its name).
  'no search index (a tags-only stand-in)': [
    sql`DROP INDEX federation_catalog_entries_search`,
    sql`CREATE INDEX federation_catalog_entries_search ON federation_catalog_entries USING gin (tags)`,
  ],
};

const source = await openStore({});
await migrate(source);
await generate(source, COUNT, [
  ['330000', '浙江省'],
  ['330100', '杭州市'],
]);
const ids = (
  await source.db.selectFrom('resources').select('id').where('sharing_type', '<>', 'not_shared').execute()
).map((r) => r.id);
const views = [];
for (let i = 0; i < ids.length; i += 1000)
  views.push(...(await resourceViewsById(source.db, ids.slice(i, i + 1000))));
await source.close();

// Only what applyReport reads of the configuration: the sender, its parent and their regions.
const zhejiang = {
  nodeId: 'zj-330000',
  regionCode: '330000',
  level: 'provincial',
  parentNodeId: 'cn-100000',
  status: 'active',
} as FederationNode;
const config = {
  nodes: [
    { nodeId: 'cn-100000', regionCode: '100000', level: 'national', parentNodeId: null, status: 'active' },
    zhejiang,
  ],
} as unknown as FederationConfig;

console.log(
  `Applying ${views.length.toLocaleString()} reported entries at the parent (applyReport, batches of 1,000, in-memory PGlite, one process)`,
);
console.log(row(['search index', 'CPU s', 'wall s', 'CPU ms per entry']));
console.log(row(['---', '---:', '---:', '---:']));
for (const [name, change] of Object.entries(VARIANTS)) {
  const target = await openStore({});
  await migrate(target);
  for (const statement of change ?? []) await statement.execute(target.db);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < views.length; i += 1000) {
    const changes = views
      .slice(i, i + 1000)
      .map((resource, k) => ({ op: 'upsert' as const, seq: i + k + 1, originNodeId: 'zj-330000', resource }));
    await applyReport(target.db, 'cn-100000', config, zhejiang, {
      nodeId: 'zj-330000',
      from: i,
      to: i + changes.length,
      changes,
    });
  }
  const used = process.cpuUsage(cpu);
  const seconds = (used.user + used.system) / 1e6;
  console.log(
    row([
      name,
      fixed(seconds),
      fixed((performance.now() - started) / 1000),
      fixed((seconds * 1000) / views.length, 2),
    ]),
  );
  await target.close();
}
