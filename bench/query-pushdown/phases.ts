// bench/query-pushdown/phases.ts: where a point query's time goes. Runs the point query of
// bench/query-pushdown (pushdown on, a warm sandbox child each time) with an in-memory span
// exporter registered, and prints the median of each span the query path records (plan, the
// audit entries, the enforce step's parts, execute, deliver) beside the client's own latency.
// Run: npx tsx bench/query-pushdown/phases.ts (BENCH_POINT_ROWS, default 1,000,000; BENCH_RUNS).
import { loadavg } from 'node:os';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import pg from 'pg';
import { SERVICES } from '../../test/support/services.js';
import { fixed, row } from '../support/load.js';
import { median, startPlatform } from '../support/platform.js';
import { publishPeople } from './people.js';

const ROWS = Number(process.env.BENCH_POINT_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 31);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 1500);
const SCHEMA = 'bench_point_phases';

const exporter = new InMemorySpanExporter();
new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).register();

const pgc = new pg.Client({ connectionString: SERVICES.postgres.url });
await pgc.connect();
await pgc.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
await pgc.query(`CREATE TABLE ${SCHEMA}.people (id bigint PRIMARY KEY, qh text, age integer)`);
await pgc.query(
  `INSERT INTO ${SCHEMA}.people SELECT g, (350100 + g % 100)::text, g % 90 FROM generate_series(1, ${ROWS}) g`,
);
await pgc.query(`ANALYZE ${SCHEMA}.people`);

const platform = await startPlatform('pglite');
const code = await publishPeople(platform, SCHEMA);

const client: number[] = [];
const spans = new Map<string, number[]>();
for (let i = 0; i <= RUNS; i++) {
  await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  const id = 1 + ((i * 7_919) % ROWS);
  exporter.reset();
  const started = performance.now();
  const response = await fetch(`${platform.url}/api/v1/query`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.consumerKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      sql: `SELECT id, qh, age FROM people WHERE id = ${id}`,
      aliases: { people: code },
    }),
  });
  const body = (await response.json()) as { rows: Array<{ id: number }> };
  if (!response.ok || body.rows[0]?.id !== id) throw new Error(`unexpected answer: ${JSON.stringify(body)}`);
  if (i === 0) continue; // warm-up: pools, caches, the first sandbox child
  client.push(performance.now() - started);
  // Spans of one name in one request (the two audit entries) add up.
  const sums = new Map<string, number>();
  for (const span of exporter.getFinishedSpans()) {
    const ms = span.duration[0] * 1000 + span.duration[1] / 1e6;
    sums.set(span.name, (sums.get(span.name) ?? 0) + ms);
  }
  for (const [name, ms] of sums) spans.set(name, [...(spans.get(name) ?? []), ms]);
}
await platform.close();
await pgc.query(`DROP SCHEMA ${SCHEMA} CASCADE`);
await pgc.end();

console.log(
  `> ${ROWS.toLocaleString()} rows, ${RUNS} point queries ${PAUSE_MS} ms apart, load average ${loadavg()
    .map((l) => fixed(l, 1))
    .join(' / ')}`,
);
console.log(row(['Span', 'median ms', 'count']));
console.log(row(['---', '---:', '---:']));
console.log(row(['client: POST /api/v1/query', fixed(median(client), 1), String(client.length)]));
for (const [name, times] of [...spans].sort((a, b) => median(b[1]) - median(a[1])))
  console.log(row([name, fixed(median(times), 1), String(times.length)]));
process.exit(0);
