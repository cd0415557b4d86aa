// The soak run (not a `npm run bench` benchmark: it has no run.ts): `npm run soak -- --minutes N [--rate R]`. Starts a real server process on a fresh
// embedded database (a PostgreSQL source at 127.0.0.1:5432 holds the shared table), seeds a
// provider, a consumer with a grant and an auditor, then drives a fixed-rate mixed workload —
// catalog search, rows, SQL, CSV exports, access requests with their approvals — and reports the
// error rate, latency percentiles per kind and the server's RSS over time, as markdown.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as hdr from 'hdr-histogram-js';
import { adminPassword, PEOPLE_COUNT, seedPlatform } from '../../test/multiprocess/platform.js';
import { call, startServer } from '../../test/multiprocess/server-process.js';
import { postgresPeople } from '../../test/support/source-data.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '3' },
    rate: { type: 'string', default: '40' },
    sample: { type: 'string', default: '30' },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const sampleSeconds = Number(values.sample);

// The server runs from the build, as `npm start` runs it (built first if stale): under tsx each
// sandbox child and the server itself would spend their CPU compiling, not serving.
const ROOT = new URL('../..', import.meta.url).pathname;
const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build-if-stale.mjs'), '--root', ROOT], {
  stdio: 'inherit',
});
if (built.status !== 0) throw new Error('the build failed');
process.env.HUITONG_TEST_CLI = join(ROOT, 'dist/cli/main.js');

const dataDir = mkdtempSync(join(tmpdir(), 'huitong-soak-'));
const people = await postgresPeople(PEOPLE_COUNT);
// The heap is read from /metrics (nodejs_heap_size_used_bytes): the soak shows it flat, or not.
const METRICS_TOKEN = `soak-${Math.random().toString(36).slice(2)}-metrics`;
const server = await startServer(
  {
    HUITONG_DATA_DIR: dataDir,
    HUITONG_LOG_LEVEL: 'error',
    HUITONG_METRICS_TOKEN: METRICS_TOKEN,
    // A shared machine can take minutes to start a server: the soak measures it serving.
  },
  300_000,
);
const platform = await seedPlatform(server.url, adminPassword(server.output()), people.schema);
const url = server.url;

type Kind = 'search' | 'rows' | 'sql' | 'export' | 'approval';
let n = 0;
/** The error code of the last refusal per kind, for the report. */
const lastCode = new Map<Kind, string>();
const codeOf = (kind: Kind, r: { status: number; json: { error?: { code?: string } } }) => {
  if (r.status >= 300) lastCode.set(kind, String(r.json?.error?.code ?? r.status));
  return r.status;
};
const WORK: Record<Kind, () => Promise<number>> = {
  search: async () =>
    (await call(url, platform.analyst, 'GET', '/api/v1/catalog/search?q=%E4%BA%BA%E5%8F%A3')).status,
  rows: async () =>
    (await call(url, platform.consumerKey, 'GET', `/api/v1/resources/${platform.resource}/rows?limit=20`))
      .status,
  sql: async () =>
    codeOf(
      'sql',
      await call(url, platform.consumerKey, 'POST', '/api/v1/query', {
        sql: `SELECT qh, count(*) AS n FROM "${platform.resource}" GROUP BY qh ORDER BY qh`,
      }),
    ),
  export: async () => {
    const response = await fetch(`${url}/api/v1/resources/${platform.resource}/rows?format=csv`, {
      headers: platform.consumerKey.headers,
    });
    await response.arrayBuffer();
    return response.status;
  },
  approval: async () => {
    const request = await call(url, platform.analyst, 'POST', '/api/v1/access-requests', {
      applicationId: platform.applicationId,
      resourceCode: platform.resource,
      items: ['区划'],
      purpose: `浸泡测试 ${n++}`,
      legalBasis: '测试',
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    if (request.status !== 201) return request.status;
    return (
      await call(url, platform.steward, 'POST', `/api/v1/access-requests/${request.json.id}/approve`, {
        // With exports allowed: the newest grant is the one the consumer's reads use.
        mayExport: true,
      })
    ).status;
  },
};
// The mix: reads dominate, as in a working day.
const MIX: Kind[] = ['search', 'rows', 'rows', 'sql', 'search', 'rows', 'export', 'sql', 'rows', 'approval'];

const histogram = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000, numberOfSignificantValueDigits: 3 });
const all = histogram();
const byKind = new Map<Kind, ReturnType<typeof histogram>>();
const counts = new Map<Kind, { ok: number; errors: number }>();
const errorSamples: string[] = [];
const rss = () => {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};
/** The server's V8 heap in use (MiB), from its /metrics. */
const heap = async (): Promise<number> => {
  const response = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const text = await response.text();
  const used = /^nodejs_heap_size_used_bytes\s+(\d+(?:\.\d+)?(?:e\+\d+)?)/m.exec(text)?.[1];
  return used === undefined ? Number.NaN : Number(used) / 2 ** 20;
};
const samples: Array<{ t: number; rss: number; heap: number; done: number; errors: number; p99: number }> =
  [];

const started = Date.now();
const deadline = started + minutes * 60_000;
const inFlight = new Set<Promise<void>>();
let sent = 0;
let errors = 0;
let window = histogram();
let nextSample = started + sampleSeconds * 1000;
console.error(`soak: ${rate} req/s for ${minutes} min against ${url} (pid ${server.child.pid})`);
// Fixed rate: request i is due at started + i / rate, whether or not earlier ones have answered
// (an open model, so a slow server shows as latency and errors, not as a lower rate).
while (Date.now() < deadline) {
  const due = started + (sent * 1000) / rate;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const kind = MIX[sent % MIX.length]!;
  sent++;
  const t0 = performance.now();
  const task = WORK[kind]()
    .catch((error) => {
      errorSamples.push(`${kind}: ${String(error).slice(0, 120)}`);
      return 0;
    })
    .then((status) => {
      const ms = Math.max(1, Math.round(performance.now() - t0));
      all.recordValue(ms);
      window.recordValue(ms);
      if (!byKind.has(kind)) byKind.set(kind, histogram());
      byKind.get(kind)!.recordValue(ms);
      const c = counts.get(kind) ?? { ok: 0, errors: 0 };
      if (status >= 200 && status < 300) c.ok++;
      else {
        c.errors++;
        errors++;
        if (errorSamples.length < 20) errorSamples.push(`${kind}: status ${status}`);
      }
      counts.set(kind, c);
    });
  inFlight.add(task);
  task.finally(() => inFlight.delete(task));
  if (Date.now() >= nextSample) {
    const sample = {
      t: Math.round((Date.now() - started) / 1000),
      rss: rss(),
      heap: await heap().catch(() => Number.NaN),
      done: all.totalCount,
      errors,
      p99: window.getValueAtPercentile(99),
    };
    samples.push(sample);
    console.error(
      `t=${sample.t}s sent=${sent} done=${sample.done} errors=${errors} p99(window)=${sample.p99} ms rss=${sample.rss.toFixed(0)} MiB heap=${sample.heap.toFixed(0)} MiB`,
    );
    window = histogram();
    nextSample += sampleSeconds * 1000;
  }
}
await Promise.all(inFlight);
const finalRss = rss();
await server.stop();
await people.drop();
rmSync(dataDir, { recursive: true, force: true });

const seconds = (Date.now() - started) / 1000;
console.log(`| figure | value |\n| --- | --- |`);
console.log(`| duration | ${(seconds / 60).toFixed(1)} min at ${rate} req/s (open model) |`);
console.log(`| requests | ${all.totalCount} (${(all.totalCount / seconds).toFixed(1)}/s) |`);
console.log(`| errors | ${errors} (${((100 * errors) / Math.max(1, all.totalCount)).toFixed(3)} %) |`);
console.log(
  `| latency (all) | p50 ${all.getValueAtPercentile(50)} ms, p99 ${all.getValueAtPercentile(99)} ms, max ${all.maxValue} ms |`,
);
for (const [kind, h] of byKind) {
  const c = counts.get(kind)!;
  console.log(
    `| ${kind} | ${c.ok} ok, ${c.errors} errors; p50 ${h.getValueAtPercentile(50)} ms, p99 ${h.getValueAtPercentile(99)} ms |`,
  );
}
const rssValues = samples.map((s) => s.rss);
console.log(
  `| server RSS | first sample ${rssValues[0]?.toFixed(0)} MiB, max ${Math.max(...rssValues, finalRss).toFixed(0)} MiB, end ${finalRss.toFixed(0)} MiB |`,
);
// Heap in use sampled at random points of the GC cycle: its low in each third of the run is the
// closest to the live heap (after GC), so a leak shows as a rising low.
const thirds = [0, 1, 2].map((i) =>
  Math.min(
    ...samples
      .slice((i * samples.length) / 3, ((i + 1) * samples.length) / 3)
      .map((s) => s.heap)
      .filter((h) => !Number.isNaN(h)),
  ),
);
console.log(
  `| server heap in use, lowest per third of the run | ${thirds.map((h) => `${h.toFixed(0)} MiB`).join(' → ')} |`,
);
console.log(`\nRSS and heap in use (MiB) and window p99 (ms) every ${sampleSeconds} s:\n`);
console.log(`| t (s) | RSS MiB | heap MiB | p99 ms | errors so far |\n| --- | --- | --- | --- | --- |`);
for (const s of samples)
  console.log(`| ${s.t} | ${s.rss.toFixed(0)} | ${s.heap.toFixed(0)} | ${s.p99} | ${s.errors} |`);
for (const sample of errorSamples.slice(0, 10)) console.log(`> ${sample}`);
process.exit(0);
