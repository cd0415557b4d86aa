/**
 * Leak-tracing accuracy (issue 18; docs/tracing.md). One resource of BENCH_LEAK_ROWS rows
 * (100,000 in the issue) with two tolerant columns (an amount ± 0.01, a time ± 60 s) delivered to
 * BENCH_LEAK_RECIPIENTS recipients (1,000); each trial leaks BENCH_LEAK_SHARE of the rows (5 %) of
 * one copy, or of 2 or 3 colluders' copies interleaved row by row, with the other columns dropped,
 * rows shuffled and values rounded to the tolerance, and traces it. Figures: how often the first
 * suspect is guilty, how many innocents were ever accused (threshold for false accusation ≤ 1e-6),
 * and the time to mark and to trace. Only the leaked rows of the guilty copies are marked (a copy's
 * marks are a function of its recipient and row, so the rest are never needed).
 * Run: npx tsx bench/leak-tracing/run.ts (bench/tracing is the span-tracing bench).
 */
import { randomBytes } from 'node:crypto';
import {
  accuse,
  leakedBits,
  markPlan,
  markRow,
  type Observation,
  type Tolerance,
} from '../../src/tracing/index.js';

const ROWS = Number(process.env.BENCH_LEAK_ROWS ?? 10_000);
const RECIPIENTS = Number(process.env.BENCH_LEAK_RECIPIENTS ?? 100);
const TRIALS = Number(process.env.BENCH_LEAK_TRIALS ?? 20);
const SHARE = Number(process.env.BENCH_LEAK_SHARE ?? 0.05);
const SECRET = randomBytes(32);
const RESOURCE = 'bench-resource';
const AMOUNT: Tolerance = { kind: 'number', step: 0.01 };
const SEEN: Tolerance = { kind: 'time', step: 60 };
const recipients = Array.from({ length: RECIPIENTS }, (_, i) => `app:${i}`);
const START = Date.UTC(2026, 0, 1);

const source = (r: number): unknown[] => [
  `K${r}`,
  ((r * 7919) % 10_000_000) / 100 + 0.004,
  new Date(START + r * 37_000).toISOString(),
  `区划${r % 17}`,
];

const plans = new Map<string, ReturnType<typeof markPlan>>();
const planOf = (recipient: string) => {
  let plan = plans.get(recipient);
  if (!plan) {
    plan = markPlan(SECRET, RESOURCE, recipient, 0, [
      { index: 1, item: '金额', tolerance: AMOUNT },
      { index: 2, item: '时间', tolerance: SEEN },
    ]);
    plans.set(recipient, plan);
  }
  return plan;
};

function sample(n: number, k: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(Math.floor(Math.random() * n));
  return [...chosen];
}

let markedCells = 0;
let markMs = 0;
function leak(colluders: string[]): unknown[][] {
  const rows = sample(ROWS, Math.round(ROWS * SHARE));
  const started = performance.now();
  const out = rows.map((r) => {
    const row = markRow(planOf(colluders[Math.floor(Math.random() * colluders.length)]!), source(r));
    // The leaker keeps the key and the amount, rounded to 0.01, and the time; drops the rest.
    return [row[0], Math.round(Number(row[1]) * 100) / 100, row[2]];
  });
  markMs += performance.now() - started;
  markedCells += rows.length * 2;
  return out.sort(() => Math.random() - 0.5);
}

const observe = (rows: unknown[][]): Observation[] =>
  rows.flatMap((row) => [
    { rowKey: String(row[0]), item: '金额', value: row[1], tolerance: AMOUNT },
    { rowKey: String(row[0]), item: '时间', value: row[2], tolerance: SEEN },
  ]);

console.log(
  `### Leak tracing: ${ROWS} rows, ${RECIPIENTS} recipients, ${TRIALS} trials each, leaks of ${SHARE * 100} %\n`,
);
console.log(
  '| colluders | first suspect guilty | guilty accused (mean) | innocents accused | positions (mean) | trace ms (mean) |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const c of [1, 2, 3]) {
  let firstGuilty = 0;
  let guiltyAccused = 0;
  let innocentAccused = 0;
  let positions = 0;
  let traceMs = 0;
  for (let t = 0; t < TRIALS; t++) {
    const guilty = sample(RECIPIENTS, c).map((i) => recipients[i]!);
    const rows = leak(guilty);
    const started = performance.now();
    const result = accuse(SECRET, RESOURCE, leakedBits(SECRET, RESOURCE, observe(rows)), recipients);
    traceMs += performance.now() - started;
    positions += result.positions;
    if (guilty.includes(result.accusations[0]!.recipient)) firstGuilty++;
    for (const a of result.accusations.filter((x) => x.accused)) {
      if (guilty.includes(a.recipient)) guiltyAccused++;
      else innocentAccused++;
    }
  }
  console.log(
    `| ${c} | ${firstGuilty}/${TRIALS} | ${(guiltyAccused / TRIALS).toFixed(2)} | ${innocentAccused} of ${TRIALS * (RECIPIENTS - c)} | ${Math.round(positions / TRIALS)} | ${Math.round(traceMs / TRIALS)} |`,
  );
}
console.log(
  `\n> marking: ${Math.round(markedCells / (markMs / 1000))} tolerant cells/s, including building each colluder's codeword on first use (one core)`,
);
