// bench/tracing: what OpenTelemetry tracing costs on the data path. Rows of a PostgreSQL-backed
// resource by key through the HTTP API, in alternating rounds with tracing off (no SDK registered:
// OTEL_EXPORTER_OTLP_ENDPOINT unset, the API's no-op tracer) and on (the SDK with a batch OTLP/HTTP
// exporter sending to a local collector that discards what it gets). Medians over the rounds, and
// the ratio on ÷ off. Also the cost of the no-op spans alone: the 9 spans of one request (request,
// authenticate, plan, enforce, 2 × audit, execute, deliver, plus a handler context switch)
// started and ended without an SDK, per request, against the API's median latency.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import pg from 'pg';
import {
  activeContext,
  endSpan,
  runIn,
  startSpan,
  startTracing,
  traced,
} from '../../src/observability/index.js';
import { SERVICES } from '../../test/support/services.js';
import { fixed, httpLoad, type LoadResult, row } from '../support/load.js';
import { BENCH_POSTGRES_SOURCE, median, publishBound, startPlatform } from '../support/platform.js';

const ROWS = 10_000;
const CONNECTIONS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const admin = new pg.Client({ connectionString: SERVICES.postgres.url });
await admin.connect();
await admin.query('DROP SCHEMA IF EXISTS bench_tracing CASCADE; CREATE SCHEMA bench_tracing');
await admin.query(
  'CREATE TABLE bench_tracing.people (id integer PRIMARY KEY, xm text, qh text, age integer)',
);
await admin.query(
  `INSERT INTO bench_tracing.people SELECT g, '张' || g, (350000 + g % 100)::text, g % 90 FROM generate_series(1, ${ROWS}) g`,
);

// The collector: takes each export and throws it away (it shares the CPUs with the server).
let exports = 0;
let exportedBytes = 0;
const collector = createServer((request, response) => {
  request.on('data', (chunk: Buffer) => {
    exportedBytes += chunk.length;
  });
  request.on('end', () => {
    exports++;
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;

const platform = await startPlatform('pglite');
const code = await publishBound(
  platform,
  platform.providerId,
  BENCH_POSTGRES_SOURCE,
  { schema: 'bench_tracing', table: 'people' },
  {
    items: [
      { name: '编号', field: 'id', dataType: 'number' },
      { name: '姓名', field: 'xm', dataType: 'string' },
      { name: '区划', field: 'qh', dataType: 'string' },
      { name: '年龄', field: 'age', dataType: 'number' },
    ],
    sharingType: 'unconditional',
  },
);
const headers = { authorization: `Bearer ${platform.providerKey}` };
const filter = (id: number) => encodeURIComponent(JSON.stringify([{ column: 'id', op: 'eq', value: id }]));
const load = () =>
  httpLoad(
    platform.url,
    headers,
    () => `/api/v1/resources/${code}/rows?filter=${filter(1 + Math.floor(Math.random() * ROWS))}`,
    CONNECTIONS,
    SECONDS,
  );

await load(); // warm-up: JIT, pools, caches
const off: LoadResult[] = [];
const on: LoadResult[] = [];
for (let round = 0; round < ROUNDS; round++) {
  off.push(await load());
  const tracing = await startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
  if (!tracing) throw new Error('tracing did not start');
  on.push(await load());
  await tracing.shutdown();
}

// The no-op spans of one request, measured alone (no SDK registered now).
const noopPerRequestUs = await (async () => {
  const n = 200_000;
  const work = async () => 1;
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const span = startSpan('GET /api/v1/resources/:code/rows', { attributes: { 'huitong.request_id': 'x' } });
    await runIn(activeContext(), async () => {
      await traced('authenticate', work);
      await traced('plan', work);
      await traced('enforce', work);
      await traced('audit', work);
      await traced('execute', work);
      await traced('deliver', work);
      await traced('audit', work);
    });
    endSpan(span);
  }
  const baseline = performance.now();
  for (let i = 0; i < n; i++) for (let j = 0; j < 7; j++) await work();
  const plain = performance.now() - baseline;
  return ((baseline - started - plain) * 1000) / n;
})();

const summary = (results: LoadResult[]) => ({
  rps: median(results.map((r) => r.rps)),
  p50: median(results.map((r) => r.p50)),
  p99: median(results.map((r) => r.p99)),
  errors: results.reduce((sum, r) => sum + r.errors, 0),
});
const offS = summary(off);
const onS = summary(on);

console.log('### Rows API with tracing off and on');
console.log(
  `rows by key of a PostgreSQL-backed resource (${ROWS.toLocaleString()} rows), ${CONNECTIONS} concurrent clients, ${ROUNDS} alternating rounds of ${SECONDS} s per mode, medians`,
);
console.log(row(['Tracing', 'req/s', 'p50 ms', 'p99 ms', 'req/s ÷ off', 'p50 ÷ off', 'errors']));
console.log(row(['---', '---:', '---:', '---:', '---:', '---:', '---:']));
console.log(
  row([
    'off (no SDK, no-op tracer)',
    fixed(offS.rps, 0),
    fixed(offS.p50),
    fixed(offS.p99),
    '100%',
    '1.00',
    offS.errors,
  ]),
);
console.log(
  row([
    'on (SDK, batch OTLP/HTTP JSON)',
    fixed(onS.rps, 0),
    fixed(onS.p50),
    fixed(onS.p99),
    `${fixed((100 * onS.rps) / offS.rps, 0)}%`,
    fixed(onS.p50 / offS.p50, 2),
    onS.errors,
  ]),
);
console.log('### The no-op spans alone');
console.log(row(['No-op spans of one request (tracing off)', 'µs per request', '% of the off p50']));
console.log(row(['---', '---:', '---:']));
console.log(
  row([
    '8 spans + 1 context switch, no SDK',
    fixed(noopPerRequestUs, 2),
    `${fixed((100 * noopPerRequestUs) / (offS.p50 * 1000), 3)}%`,
  ]),
);
console.log(
  `> Rounds alternate off and on so that drift in the machine's load falls on both. The collector received ${exports} exports (${(exportedBytes / 2 ** 20).toFixed(1)} MiB) in the same process, on the same cores: its parsing-free receipt is part of the "on" cost here. Load average during the run: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(
      ', ',
    )} (the machine is shared: compare the ratio, not the figures). Off-round req/s: ${off.map((r) => fixed(r.rps, 0)).join(', ')}; on-round: ${on.map((r) => fixed(r.rps, 0)).join(', ')}.`,
);
await platform.close();
collector.close();
await admin.query('DROP SCHEMA bench_tracing CASCADE');
await admin.end();
