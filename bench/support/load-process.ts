// The load generator as a process of its own (bench/support/load.ts `processLoad` starts it): the
// server under test never shares its event loop with autocannon. Reads one JSON document on standard input — url,
// headers, the paths to draw from at random, connections, seconds — and prints one JSON line with
// the result.
import autocannon from 'autocannon';

interface Job {
  url: string;
  headers: Record<string, string>;
  paths: string[];
  connections: number;
  seconds: number;
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const job = JSON.parse(input || '{}') as Job;
if (!job.url || !Array.isArray(job.paths) || job.paths.length === 0) {
  console.error('usage: load-process.ts < {"url","headers","paths":[…],"connections","seconds"}');
  process.exit(2);
}
const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  headers: job.headers,
  requests: [
    {
      setupRequest: (request) => ({
        ...request,
        path: job.paths[Math.floor(Math.random() * job.paths.length)]!,
      }),
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  })}\n`,
);
