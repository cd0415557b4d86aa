// bench/subscriptions (issue 16): push delivery of changes through the real pipeline (capture by
// logical replication, enforcement, event store, dispatcher, channel drivers), against the same
// changes read straight from PostgreSQL's replication stream, in the same run. Three figures:
// source commit → webhook received at 1,000 changes/s; sustained changes/s into NATS JetStream;
// a snapshot into a staging PostgreSQL. Each figure runs BENCH_RUNS times (default 3); medians.
import { loadavg } from 'node:os';
import { fixed, row } from '../support/load.js';
import { stopReaders } from './baseline.js';
import { natsThroughput, stagingSnapshot, webhookLatency } from './figures.js';
import { grantedPeople, openWorld, STORE } from './world.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const NATS_ROWS = Number(process.env.BENCH_NATS_ROWS ?? 100_000);
const SNAPSHOT_ROWS = Number(process.env.BENCH_SNAPSHOT_ROWS ?? 200_000);
const only = (process.env.BENCH_FIGURES ?? '1,2,3').split(',');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const list = (xs: number[], digits = 0) => xs.map((x) => fixed(x, digits)).join(' · ');
const loads: string[] = [];
const noteLoad = () => loads.push(loadavg()[0]!.toFixed(1));

const world = await openWorld();
const lines: string[] = [];
const notes: string[] = [];
try {
  if (only.includes('1')) {
    const runs = [];
    // A table, resource and source of its own per run: a subscription made again on the same
    // source would resume where the slot of the previous one stopped.
    for (let i = 0; i < RUNS; i++) {
      const people = await grantedPeople(world, 0);
      try {
        noteLoad();
        runs.push(await webhookLatency(world, people, RATE, SECONDS));
        console.error(`webhook run ${i + 1}: ${JSON.stringify(runs.at(-1))}`);
      } finally {
        await people.drop();
      }
    }
    const p50 = median(runs.map((r) => r.platform.p50));
    const p99 = median(runs.map((r) => r.platform.p99));
    const raw50 = median(runs.map((r) => r.raw.p50));
    const raw99 = median(runs.map((r) => r.raw.p99));
    lines.push(
      row([
        `commit → webhook received at ${RATE.toLocaleString('en')} changes/s, p50 · p99 (ms)`,
        `${fixed(p50, 0)} · ${fixed(p99, 0)}`,
        `${fixed(raw50, 0)} · ${fixed(raw99, 0)}`,
        `${fixed(p50 / raw50, 1)}× · ${fixed(p99 / raw99, 1)}×`,
        'p99 ≤ 1,000 ms',
      ]),
    );
    notes.push(
      `> Webhook runs (${SECONDS} s each at ${RATE}/s, achieved ${list(runs.map((r) => r.achievedRate))}/s): p50 ${list(runs.map((r) => r.platform.p50))} ms, p99 ${list(runs.map((r) => r.platform.p99))} ms, max ${list(runs.map((r) => r.platform.max))} ms; baseline p50 ${list(runs.map((r) => r.raw.p50))} ms, p99 ${list(runs.map((r) => r.raw.p99))} ms.`,
    );
  }
  if (only.includes('2')) {
    const people = await grantedPeople(world, 0);
    const runs = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        noteLoad();
        runs.push(await natsThroughput(world, people, NATS_ROWS, 10_000));
        console.error(`nats run ${i + 1}: ${JSON.stringify(runs.at(-1))}`);
      }
    } finally {
      await people.drop();
    }
    const ours = median(runs.map((r) => r.platform));
    const raw = median(runs.map((r) => r.raw));
    lines.push(
      row([
        `changes/s into NATS JetStream (${NATS_ROWS.toLocaleString('en')} inserts, 10,000 per transaction)`,
        fixed(ours, 0),
        fixed(raw, 0),
        `${fixed((100 * ours) / raw, 0)}%`,
        '≥ 20,000/s',
      ]),
    );
    notes.push(
      `> NATS runs: ${list(runs.map((r) => r.platform))} changes/s; baseline ${list(runs.map((r) => r.raw))} changes/s.`,
    );
  }
  if (only.includes('3')) {
    const people = await grantedPeople(world, SNAPSHOT_ROWS);
    const runs = [];
    try {
      for (let i = 0; i < RUNS; i++) {
        noteLoad();
        runs.push(await stagingSnapshot(world, people, SNAPSHOT_ROWS));
        console.error(`staging run ${i + 1}: ${JSON.stringify(runs.at(-1))}`);
      }
    } finally {
      await people.drop();
    }
    const ours = median(runs.map((r) => r.platform));
    const raw = median(runs.map((r) => r.raw));
    lines.push(
      row([
        `snapshot into a staging PostgreSQL, rows/s (${SNAPSHOT_ROWS.toLocaleString('en')} rows)`,
        fixed(ours, 0),
        fixed(raw, 0),
        `${fixed((100 * ours) / raw, 0)}%`,
        '≥ 100,000/s',
      ]),
    );
    notes.push(
      `> Staging runs: ${list(runs.map((r) => r.platform))} rows/s (of which createSubscription, i.e. capture prepared + snapshot enforced and stored: ${list(
        runs.map((r) => r.created),
        1,
      )} s); baseline COPY ${list(runs.map((r) => r.raw))} rows/s.`,
    );
  }
} finally {
  await stopReaders();
  await world.stop();
}

console.log(
  `Medians of ${RUNS} runs; metadata store ${STORE}; the grant masks 姓名, 身份证号, 手机号码 and has a row filter (区划 = 350102, every row passes); the baseline reads the same changes from a pgoutput slot of its own, without enforcement (COPY for the snapshot).`,
);
console.log(row(['Figure', 'ours', 'baseline', 'ratio (ours ÷ baseline)', 'target']));
console.log(row(['---', '---:', '---:', '---:', '---']));
for (const l of lines) console.log(l);
console.log('');
for (const n of notes) console.log(n);
console.log(`> Load average (1 min) at the start of each run: ${loads.join(' · ')}.`);
