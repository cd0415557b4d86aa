// Load generation for the data-path benchmarks: autocannon against the HTTP API, and the same
// number of concurrent workers sending the baseline query straight to the database, both with
// percentiles from HDR histograms.
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import * as hdr from 'hdr-histogram-js';

/** Throughput and latency of one load run. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** Drives `url + pathOf()` with `connections` concurrent connections for `seconds`. */
export async function httpLoad(
  url: string,
  headers: Record<string, string>,
  pathOf: () => string,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers,
    requests: [{ setupRequest: (request) => ({ ...request, path: pathOf() }) }],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/**
 * The same as `httpLoad`, with autocannon in a process of its own (bench/support/load-process.ts):
 * each request takes one of `paths` at random. The fair way to load a server that runs in another
 * process too — the generator's CPU is not taken from the server's event loop.
 */
export function processLoad(
  url: string,
  headers: Record<string, string>,
  paths: string[],
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const script = new URL('./load-process.ts', import.meta.url).pathname;
  const job = JSON.stringify({ url, headers, paths, connections, seconds });
  return new Promise((resolve, reject) => {
    // The job on standard input: thousands of paths pass no argument list's limit.
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child.stdin.end(job);
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      const line = out.trim().split('\n').at(-1) ?? '';
      resolve(JSON.parse(line) as LoadResult);
    });
  });
}

/** Runs `work` in `workers` concurrent loops for `seconds`. */
export async function directLoad(
  work: () => Promise<unknown>,
  workers: number,
  seconds: number,
): Promise<LoadResult> {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
  const end = performance.now() + seconds * 1000;
  let done = 0;
  let errors = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const started = performance.now();
        try {
          await work();
          done++;
        } catch {
          errors++;
        }
        histogram.recordValue(Math.max(1, Math.round((performance.now() - started) * 1000)));
      }
    }),
  );
  return {
    rps: done / seconds,
    p50: histogram.getValueAtPercentile(50) / 1000,
    p99: histogram.getValueAtPercentile(99) / 1000,
    errors,
  };
}

/** A markdown table row. */
export const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;

/** A number with a fixed number of decimals. */
export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
