// The long fuzzing run: `npm run fuzz -- --minutes N [--seed S]`. Builds the platform in-process
// (PGlite metadata, a PostgreSQL source: needs PostgreSQL at 127.0.0.1:5432), then fuzzes every
// route round after round with a new seed each round until the time is up, sampling the heap.
// Then runs the canary hunt (test/canary) with canaries of the run's first seed.
// Prints a markdown summary (requests, statuses, failures, heap, leaks) and exits 1 on any new failure.
import { parseArgs } from 'node:util';
import { buildMatrixWorld } from '../authz/world.js';
import { describeLeaks, hunt, huntRequests } from '../canary/hunt.js';
import { openCanaryWorld } from '../canary/world.js';
import { openTestServer } from '../support/http.js';
import { formerFinding, fuzzDataPath, fuzzRoute, fuzzTargets, heapAfterGc, newStats } from './campaign.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    seed: { type: 'string' },
    runs: { type: 'string', default: '25' },
  },
});
const deadline = Date.now() + Number(values.minutes) * 60_000;
let seed = Number(values.seed ?? Date.now() % 2 ** 31);
const firstSeed = seed;
const server = await openTestServer('pglite');
const world = await buildMatrixWorld(server);
const targets = await fuzzTargets(server, world);
const stats = newStats();
const baseline = heapAfterGc();
const heap: number[] = [];
let rounds = 0;
const started = Date.now();
while (Date.now() < deadline) {
  for (const target of targets) {
    if (Date.now() >= deadline) break;
    await fuzzRoute(server, world, target, stats, {
      numRuns: Number(values.runs),
      seed: seed++,
      extremes: rounds === 0,
    });
  }
  await fuzzDataPath(server, world, stats, { numRuns: Number(values.runs), seed: seed++, extremes: false });
  rounds++;
  heap.push(heapAfterGc());
  console.error(
    `round ${rounds}: ${stats.requests} requests, ${stats.failures.length} failures, heap ${(heap.at(-1)! / 2 ** 20).toFixed(0)} MiB`,
  );
}
const final = heapAfterGc();
await world.close();
await server.close();
// The canary hunt with fresh canaries: other values, other lengths, other check digits each run.
const canaryWorld = await openCanaryWorld(firstSeed);
const canary = await hunt(canaryWorld, huntRequests(canaryWorld, true));
await canaryWorld.close();
const leaks = describeLeaks(canary.leaks);
const fresh = stats.failures;
const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
console.log(`| figure | value |\n| --- | --- |`);
console.log(
  `| duration | ${((Date.now() - started) / 60_000).toFixed(1)} min, ${rounds} rounds over ${targets.length} routes (seeds ${firstSeed}…${seed - 1}) |`,
);
console.log(
  `| requests | ${stats.requests} (${(stats.requests / ((Date.now() - started) / 1000)).toFixed(0)}/s) |`,
);
console.log(
  `| statuses | ${Object.entries(stats.byStatus)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')} |`,
);
const repeats = fresh.filter((f) => formerFinding(f)).length;
console.log(`| failures | ${fresh.length}, of which ${repeats} repeat a fixed finding |`);
console.log(
  `| heap after gc | baseline ${mib(baseline)}, max ${mib(Math.max(...heap, final))}, end ${mib(final)} |`,
);
// One example per route, problem and status, most frequent first.
const groups = new Map<string, { count: number; example: (typeof fresh)[number] }>();
for (const failure of fresh) {
  const key = `${failure.route} · ${failure.problem} · ${failure.status}${formerFinding(failure) ? ` (${formerFinding(failure)} again)` : ''}`;
  const group = groups.get(key) ?? { count: 0, example: failure };
  group.count++;
  groups.set(key, group);
}
for (const [key, { count, example }] of [...groups].sort((x, y) => y[1].count - x[1].count).slice(0, 40))
  console.log(
    `> ${count}× ${key}: ${JSON.stringify(example.request).slice(0, 400)} → ${example.response.slice(0, 200)}`,
  );
console.log(
  `| canary hunt | seed ${firstSeed}: ${canary.requests} requests, ${leaks.length} leaking, ${canary.undecodable.length} undecodable |`,
);
for (const line of [...leaks, ...canary.undecodable].slice(0, 40)) console.log(`> canary: ${line}`);
process.exit(fresh.length || leaks.length || canary.undecodable.length ? 1 : 0);
