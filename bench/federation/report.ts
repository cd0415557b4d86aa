// bench/federation, BENCH_MODE=report: catalog reporting (目录上报与汇聚) between two platform
// processes. The Zhejiang node holds 10,000 published, shared entries (written into its store
// before its first start, as a catalog import leaves them) and joins the national node: from the
// root's approval, how long until all 10,000 are searchable at the national node. Then 100
// changes, one every BENCH_CHANGE_MS, made through Zhejiang's API (4 in 5 a new title, 1 in 5 a
// retirement), each timed from its answer until the national node's search shows it, and — the
// baseline in the same run — until Zhejiang's own search shows it.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { migrate, openStore } from '../../src/store/index.js';
import { type Client, call, login } from '../../test/multiprocess/server-process.js';
import { generate } from '../catalog-search/generate.js';
import { fixed, row } from '../support/load.js';
import { type BenchNode, Federation, must, NATIONAL, ZHEJIANG } from './nodes.js';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 10_000);
const CHANGES = 100;
const CHANGE_EVERY_MS = Number(process.env.BENCH_CHANGE_MS ?? 300);
const POLL_MS = 100;
const ZHEJIANG_REGIONS: Array<[string, string]> = [
  ['330000', '浙江省'],
  ['330100', '杭州市'],
  ['330200', '宁波市'],
  ['330300', '温州市'],
  ['330400', '嘉兴市'],
];

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? Number.NaN;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `ENTRIES` published, shared entries into a stopped node's store; returns 100 of one organisation's. */
async function seed(dataDir: string): Promise<{ orgId: string; codes: string[] }> {
  const store = await openStore({ dataDir: join(dataDir, 'pglite') });
  try {
    await migrate(store);
    await generate(store, ENTRIES, ZHEJIANG_REGIONS);
    // Every entry shared: the 不予共享 ones the generator makes would not be reported.
    await sql`update resources set sharing_type = 'unconditional', sharing_methods = '{api}', legal_basis = ''
      where sharing_type = 'not_shared'`.execute(store.db);
    const { rows } = await sql<{ provider_id: string }>`select provider_id from resources
      group by provider_id order by count(*) desc limit 1`.execute(store.db);
    const orgId = rows[0]!.provider_id;
    const codes = await store.db
      .selectFrom('resources')
      .select('code')
      .where('provider_id', '=', orgId)
      .orderBy('code')
      .limit(CHANGES)
      .execute();
    return { orgId, codes: codes.map((c) => c.code) };
  } finally {
    await store.close();
  }
}

/** The national node's count of Zhejiang's entries, as its search shows them to its administrator. */
const reportedCount = async (national: BenchNode) =>
  (
    await must(
      call(national.url, national.admin, 'GET', '/api/v1/catalog/search?node=zj-330000&limit=1&facets='),
      'search',
    )
  ).count as number;

/** Which of the changes `pending` a node's search shows: titles by their tag, retirements by absence. */
async function shown(
  node: BenchNode,
  as: Client,
  tag: string,
  pending: Array<{ code: string; title?: string }>,
): Promise<Set<string>> {
  const done = new Set<string>();
  const found = await must(
    call(node.url, as, 'GET', `/api/v1/catalog/search?q=${tag}&limit=100&facets=`),
    'search',
  );
  const titles = new Set((found.items as Array<{ name: string }>).map((i) => i.name));
  for (const p of pending) if (p.title && titles.has(p.title)) done.add(p.code);
  const retiring = pending.filter((p) => !p.title);
  if (retiring.length) {
    const names = retiring.map((p) => `name=${encodeURIComponent(p.code)}`).join('&');
    const still = await must(
      call(node.url, as, 'GET', `/api/v1/catalog/search?${names}&limit=100&facets=`),
      'search',
    );
    const present = new Set((still.items as Array<{ code: string }>).map((i) => i.code));
    for (const p of retiring) if (!present.has(p.code)) done.add(p.code);
  }
  return done;
}

/** Report-up of ENTRIES entries, then 100 changes to searchable (BENCH_MODE=report). */
export async function benchReport(): Promise<void> {
  const federation = new Federation({
    // Witnessing has a benchmark of its own (BENCH_MODE=cosign); here it would only add noise.
    HUITONG_FEDERATION_WITNESS_SECONDS: '0',
  });
  try {
    const national = await federation.root(NATIONAL);
    let seeded = { orgId: '', codes: [] as string[] };
    let seedSeconds = 0;
    let cpuAtApproval = [0, 0];
    // The national node's search, polled from before the approval until every entry is there.
    let stop = false;
    let complete = 0;
    let first = 0;
    const poller = (async () => {
      while (!stop) {
        const count = await reportedCount(national);
        if (count > 0 && !first) first = performance.now();
        if (count >= ENTRIES) {
          complete = performance.now();
          return;
        }
        await pause(POLL_MS);
      }
    })();
    const { node: zhejiang, approvedAt } = await federation.member(
      national,
      national,
      ZHEJIANG,
      async (dir) => {
        const started = performance.now();
        seeded = await seed(dir);
        seedSeconds = (performance.now() - started) / 1000;
      },
      (node) => {
        cpuAtApproval = [Federation.cpuSeconds(national), Federation.cpuSeconds(node)];
      },
    );
    const deadline = Date.now() + 600_000;
    while (!complete && Date.now() < deadline) await pause(POLL_MS);
    stop = true;
    await poller;
    if (!complete)
      throw new Error(`${ENTRIES} entries were not searchable at the national node within 600 s`);
    const reportUp = {
      cpu: [
        Federation.cpuSeconds(national) - cpuAtApproval[0]!,
        Federation.cpuSeconds(zhejiang) - cpuAtApproval[1]!,
      ],
      load: loadavg()[0]!,
      first: (first - approvedAt) / 1000,
      all: (complete - approvedAt) / 1000,
    };

    // 100 changes by a steward of the organisation that holds the 100 entries.
    await must(
      call(zhejiang.url, zhejiang.admin, 'POST', '/api/v1/users', {
        orgId: seeded.orgId,
        username: 'steward-zj',
        displayName: '编目员',
        password: 'correct horse battery',
        roles: ['data_steward'],
        mustChangePassword: false,
      }),
      'steward',
    );
    const steward = await login(zhejiang.url, 'steward-zj', 'correct horse battery');
    const tag = `fb${Date.now().toString(36).slice(-4)}c`;
    const changes = seeded.codes.map((code, i) => ({
      code,
      title: i % 5 === 4 ? undefined : `基准变更条目 ${tag}${String(i).padStart(3, '0')}`,
      at: 0,
      national: 0,
      local: 0,
    }));
    let changing = true;
    let watching = true; // until every change is seen, or 120 s after the last one
    const watch = async (node: BenchNode, as: Client, field: 'national' | 'local') => {
      while (watching && (changing || changes.some((c) => !c[field]))) {
        const pending = changes.filter((c) => c.at && !c[field]);
        if (pending.length) {
          const now = performance.now();
          for (const code of await shown(node, as, tag, pending))
            for (const c of pending) if (c.code === code) c[field] = now;
        }
        await pause(POLL_MS);
      }
    };
    const watchers = [watch(national, national.admin, 'national'), watch(zhejiang, zhejiang.admin, 'local')];
    const changeLoad: number[] = [];
    for (const c of changes) {
      const started = performance.now();
      if (c.title)
        await must(
          call(zhejiang.url, steward, 'PATCH', `/api/v1/resources/${c.code}`, { name: c.title }),
          'change',
        );
      else
        await must(call(zhejiang.url, steward, 'POST', `/api/v1/resources/${c.code}/retire`, {}), 'retire');
      c.at = performance.now();
      await pause(Math.max(0, CHANGE_EVERY_MS - (c.at - started)));
    }
    changeLoad.push(loadavg()[0]!);
    changing = false;
    await Promise.race([Promise.all(watchers), pause(120_000)]);
    watching = false;
    await Promise.all(watchers);
    changeLoad.push(loadavg()[0]!);
    const missing = changes.find((c) => !c.local || !c.national);
    if (missing) {
      const state = await call(zhejiang.url, zhejiang.admin, 'GET', `/api/v1/resources/${missing.code}`);
      console.error(
        'a change not seen within 120 s:',
        missing,
        state.status,
        state.json?.name,
        state.json?.status,
      );
      const report = await call(zhejiang.url, zhejiang.admin, 'GET', '/api/v1/federation/catalog/nodes');
      console.error('Zhejiang reporting:', JSON.stringify(report.json?.report));
    }
    const toNational = changes.filter((c) => c.national).map((c) => (c.national - c.at) / 1000);
    const toLocal = changes.filter((c) => c.local).map((c) => (c.local - c.at) / 1000);

    console.log(
      `Report-up: the Zhejiang node holds ${ENTRIES.toLocaleString()} published, shared entries when the national node approves it; seconds from the approval until the national node's search (\`GET /api/v1/catalog/search?node=zj-330000\`) shows the first entry and all of them (polled every ${POLL_MS} ms; report interval ${process.env.HUITONG_FEDERATION_REPORT_SECONDS ?? 2} s)`,
    );
    console.log(
      row([
        'Entries',
        'first searchable s',
        'all searchable s',
        'entries/s',
        'target',
        'CPU s, national node',
        'CPU s, Zhejiang',
        'load average',
      ]),
    );
    console.log(row(['---:', '---:', '---:', '---:', '---', '---:', '---:', '---:']));
    console.log(
      row([
        ENTRIES.toLocaleString(),
        fixed(reportUp.first),
        fixed(reportUp.all),
        fixed(ENTRIES / reportUp.all, 0),
        '≤ 10 s',
        fixed(reportUp.cpu[0]!),
        fixed(reportUp.cpu[1]!),
        fixed(reportUp.load),
      ]),
    );
    console.log(
      `> Seeding the ${ENTRIES.toLocaleString()} entries into Zhejiang's store before its start: ${fixed(seedSeconds)} s (not in the figure).\n`,
    );
    console.log(
      `${changes.length} changes on the Zhejiang node through its API (one every ${CHANGE_EVERY_MS} ms; ${changes.filter((c) => c.title).length} new titles, ${changes.filter((c) => !c.title).length} retirements), each from its answer until the search shows it; locally on Zhejiang (baseline) and at the national node`,
    );
    console.log(row(['Search on', 'searchable', 'p50 s', 'p99 s', 'max s', 'target']));
    console.log(row(['---', '---:', '---:', '---:', '---:', '---']));
    for (const [name, xs, target] of [
      ['Zhejiang (local)', toLocal, '—'],
      ['national node', toNational, 'p99 ≤ 5 s'],
    ] as const)
      console.log(
        row([
          name,
          `${xs.length} / ${changes.length}`,
          fixed(percentile(xs, 0.5), 2),
          fixed(percentile(xs, 0.99), 2),
          fixed(Math.max(...xs), 2),
          target,
        ]),
      );
    console.log(
      `> Polled every ${POLL_MS} ms (a figure is at most that late). 1-minute load average after the report-up ${fixed(reportUp.load)}, after the changes ${changeLoad.map((l) => fixed(l)).join(', ')}.`,
    );
  } finally {
    await federation.close();
  }
}
