// The load generator of bench/pg-wire, run as its own process (so that it does not share the
// server's event loop): reads one job as JSON from argv[2], prints its result as JSON on stdout.
// - `sql`: `connections` node-postgres clients, each running `sql` with fresh parameters in a loop
//   (extended protocol) for `seconds` — against the listener or straight against PostgreSQL;
// - `http`: the same loop POSTing the same SQL (parameters inlined) to /api/v1/query;
// - `copy`: one node-postgres client running `COPY (…) TO STDOUT`, counting the CopyData messages.
import * as hdr from 'hdr-histogram-js';
import pg from 'pg';

interface Target {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
}

type Job =
  | {
      kind: 'sql';
      target: Target;
      sql: string;
      span: number;
      ids: number;
      connections: number;
      seconds: number;
    }
  | {
      kind: 'http';
      url: string;
      key: string;
      sql: string;
      span: number;
      ids: number;
      connections: number;
      seconds: number;
    }
  | { kind: 'copy'; target: Target; sql: string };

const job = JSON.parse(process.argv[2]!) as Job;

// $1 (and $2 = $1 + span − 1 for a range): a random window of ids.
const parameters = (span: number, ids: number) => {
  const first = 1 + Math.floor(Math.random() * (ids - span + 1));
  return span === 1 ? [first] : [first, first + span - 1];
};

async function sqlLoad(j: Extract<Job, { kind: 'sql' }>) {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000 });
  let errors = 0;
  let lastError = '';
  const clients = await Promise.all(
    Array.from({ length: j.connections }, async () => {
      const c = new pg.Client(j.target);
      // An error outside a query (a broken connection) is counted, not fatal to the run.
      c.on('error', (error) => {
        errors++;
        lastError = `connection: ${String(error)}`;
      });
      await c.connect();
      return c;
    }),
  );
  let done = 0;
  let rows = 0;
  const started = performance.now();
  const end = started + j.seconds * 1000;
  await Promise.all(
    clients.map(async (c) => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          const result = await c.query(j.sql, parameters(j.span, j.ids));
          rows += result.rows.length;
          done++;
        } catch (error) {
          errors++;
          lastError = String(error);
        }
        histogram.recordValue(Math.max(1, Math.round((performance.now() - t) * 1000)));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  return {
    rps: done / elapsed,
    p50: histogram.getValueAtPercentile(50) / 1000,
    p99: histogram.getValueAtPercentile(99) / 1000,
    rowsPerQuery: done ? rows / done : 0,
    errors,
    lastError,
  };
}

// The same loop as sqlLoad, each worker POSTing over a keep-alive connection of its own (fetch's
// pool), so that the three paths are measured alike: a run ends once its last answer is in.
async function httpLoad(j: Extract<Job, { kind: 'http' }>) {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000 });
  const inline = () => {
    const values = parameters(j.span, j.ids);
    return j.sql.replace(/\$(\d)/g, (_, n: string) => String(values[Number(n) - 1]));
  };
  let done = 0;
  let rows = 0;
  let errors = 0;
  let lastError = '';
  const started = performance.now();
  const end = started + j.seconds * 1000;
  await Promise.all(
    Array.from({ length: j.connections }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          const response = await fetch(`${j.url}/api/v1/query`, {
            method: 'POST',
            headers: { authorization: `Bearer ${j.key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ sql: inline(), limit: 10_000 }),
          });
          const text = await response.text();
          if (!response.ok) throw new Error(`${response.status} ${text.slice(0, 200)}`);
          rows += (JSON.parse(text) as { rows: unknown[] }).rows.length;
          done++;
        } catch (error) {
          errors++;
          lastError = String(error);
        }
        histogram.recordValue(Math.max(1, Math.round((performance.now() - t) * 1000)));
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return {
    rps: done / elapsed,
    p50: histogram.getValueAtPercentile(50) / 1000,
    p99: histogram.getValueAtPercentile(99) / 1000,
    rowsPerQuery: done ? rows / done : 0,
    errors,
    lastError,
  };
}

// A submittable (the interface pg-copy-streams uses): the COPY's messages, counted as they come.
async function copy(j: Extract<Job, { kind: 'copy' }>) {
  const c = new pg.Client(j.target);
  await c.connect();
  const started = performance.now();
  let firstRow = 0;
  let rows = 0;
  let bytes = 0;
  await new Promise<void>((resolve, reject) => {
    let failed: unknown;
    c.query({
      submit(connection: { query(text: string): void }) {
        connection.query(j.sql);
      },
      handleCopyData(message: { chunk: Buffer }) {
        if (rows === 0) firstRow = performance.now();
        rows++;
        bytes += message.chunk.length;
      },
      handleCommandComplete() {},
      handleError(error: unknown) {
        failed = error;
      },
      handleReadyForQuery() {
        if (failed) reject(failed);
        else resolve();
      },
    } as unknown as pg.QueryConfig);
  });
  const seconds = (performance.now() - started) / 1000;
  await c.end();
  return { rows, bytes, seconds, firstRowSeconds: (firstRow - started) / 1000 };
}

const result =
  job.kind === 'sql' ? await sqlLoad(job) : job.kind === 'http' ? await httpLoad(job) : await copy(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
