/**
 * Leak-tracing accuracy at the issue's scale (issue 18; docs/tracing.md). One resource of
 * BENCH_LEAK_ROWS rows (100,000) with two tolerant columns (an amount ± 0.01, a time ± 60 s)
 * delivered to BENCH_LEAK_RECIPIENTS recipients (1,000). Each trial leaks BENCH_LEAK_SHARE of the
 * rows (5 %) of one copy, or of 2 or 3 colluders' copies mixed row by row (each leaked row from
 * one of them, at random), with the other columns dropped, the rows shuffled and the values
 * rounded to the tolerance, and traces it against every recipient, as traceLeak does:
 *
 * - accuracy: BENCH_LEAK_TRIALS trials (1,000) for each of 1, 2 and 3 colluders: how often the
 *   first suspect is guilty, how many guilty recipients are accused, how many innocents are;
 * - innocence: BENCH_LEAK_INNOCENCE_TRIALS further trials (10,000; colluders 1, 2, 3 in turn),
 *   each scored against the recipients whose copies gave no leaked row (its innocents): how many
 *   of those (trial, innocent) scores reach the accusation threshold (ε = 1e-6 over all candidates);
 * - smaller leaks: BENCH_LEAK_SWEEP rows (50 … 1,000), BENCH_LEAK_SWEEP_TRIALS trials (100) each
 *   per colluder count: from how many observed positions a leaker is accused.
 *
 * Only the leaked rows of the guilty copies are marked: a copy's marks are a function of its
 * recipient and row (markRow), so the rest of each copy is never needed. The baseline, in the same
 * run, is the first trace: it derives every candidate's codeword, as each trace did before the
 * code was kept per process. Trials are drawn from BENCH_LEAK_SEED (the secret too), so a run is
 * reproducible. Run: npm run bench -- leak-tracing (bench/tracing is the span-tracing bench).
 */
import { createHash } from 'node:crypto';
import {
  accuse,
  FALSE_ACCUSATION,
  leakedBits,
  markPlan,
  markRow,
  type Observation,
  type Tolerance,
} from '../../src/tracing/index.js';

const ROWS = Number(process.env.BENCH_LEAK_ROWS ?? 100_000);
const RECIPIENTS = Number(process.env.BENCH_LEAK_RECIPIENTS ?? 1_000);
const TRIALS = Number(process.env.BENCH_LEAK_TRIALS ?? 1_000);
const INNOCENCE_TRIALS = Number(process.env.BENCH_LEAK_INNOCENCE_TRIALS ?? 10_000);
const SHARE = Number(process.env.BENCH_LEAK_SHARE ?? 0.05);
/** Smaller leaks (rows), BENCH_LEAK_SWEEP_TRIALS trials each per colluder count: where accusation starts. */
const SWEEP = (process.env.BENCH_LEAK_SWEEP ?? '50,100,200,500,1000').split(',').filter(Boolean).map(Number);
const SWEEP_TRIALS = Number(process.env.BENCH_LEAK_SWEEP_TRIALS ?? 100);
const SEED = Number(process.env.BENCH_LEAK_SEED ?? 18);
const SECRET = createHash('sha256').update(`huitong bench leak-tracing ${SEED}`).digest();
const RESOURCE = 'bench-resource';
const AMOUNT: Tolerance = { kind: 'number', step: 0.01 };
const SEEN: Tolerance = { kind: 'time', step: 60 };
const recipients = Array.from({ length: RECIPIENTS }, (_, i) => `app:${i}`);
const START = Date.UTC(2026, 0, 1);
const LEAKED = Math.round(ROWS * SHARE);

// mulberry32: a small seeded generator, so that every trial is reproducible.
let state = SEED >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
}
const below = (n: number) => Math.floor(random() * n);

/** The resource's rows (key, amount, time, a column the leaker drops), built once. */
const source: readonly unknown[][] = Array.from({ length: ROWS }, (_, r) => [
  `K${r}`,
  ((r * 7919) % 10_000_000) / 100 + 0.004,
  new Date(START + r * 37_000).toISOString(),
  `区划${r % 17}`,
]);

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

/** k distinct numbers below n (a partial Fisher–Yates shuffle over a reused index). */
const index = Int32Array.from({ length: ROWS }, (_, i) => i);
function sample(n: number, k: number, from = index): number[] {
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + below(n - i);
    const t = from[i]!;
    from[i] = from[j]!;
    from[j] = t;
    out.push(from[i]!);
  }
  return out;
}
const people = Int32Array.from({ length: RECIPIENTS }, (_, i) => i);

const roundTo = (ms: number, step: number) => Math.round(ms / step) * step;

/** The leak of c colluders' copies: marked rows, columns dropped, values rounded, rows shuffled. */
function leak(colluders: string[], size: number): unknown[][] {
  const rows = sample(ROWS, size).map((r) => {
    const row = markRow(planOf(colluders[below(colluders.length)]!), source[r]!);
    // The leaker keeps the key, the amount rounded to 0.01 and the time rounded to the minute.
    const time = new Date(roundTo(Date.parse(String(row[2])), 60_000)).toISOString();
    return [row[0], Math.round(Number(row[1]) * 100) / 100, time];
  });
  for (let i = rows.length - 1; i > 0; i--) {
    const j = below(i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return rows;
}

const observe = (rows: unknown[][]): Observation[] =>
  rows.flatMap((row) => [
    { rowKey: String(row[0]), item: '金额', value: row[1], tolerance: AMOUNT },
    { rowKey: String(row[0]), item: '时间', value: row[2], tolerance: SEEN },
  ]);

/** What one trial leaves: its figures only (not the thousand accusations). */
interface Trial {
  colluders: number;
  firstGuilty: boolean;
  guiltyAccused: number;
  /** The colluders' mean score per observed position, and the best one's score over the threshold. */
  guiltyPerPosition: number;
  topGuiltyRatio: number;
  positions: number;
  threshold: number;
  innocents: number;
  innocentsAccused: number;
  /** The highest innocent score, over the threshold and over √positions; the least innocent bound. */
  ratio: number;
  sigmas: number;
  bound: number;
  first: string;
  guilty: string[];
  markMs: number;
  traceMs: number;
}

function trial(c: number, size = LEAKED): Trial {
  const guilty = sample(RECIPIENTS, c, people).map((i) => recipients[i]!);
  let started = performance.now();
  const rows = leak(guilty, size);
  const markMs = performance.now() - started;
  started = performance.now();
  const result = accuse(SECRET, RESOURCE, leakedBits(SECRET, RESOURCE, observe(rows)), recipients);
  const traceMs = performance.now() - started;
  const guiltySet = new Set(guilty);
  let guiltyAccused = 0;
  let guiltyScore = 0;
  let topGuilty = -Infinity;
  let innocentsAccused = 0;
  let top = -Infinity;
  let bound = 1;
  for (const a of result.accusations) {
    if (guiltySet.has(a.recipient)) {
      if (a.accused) guiltyAccused++;
      guiltyScore += a.score;
      topGuilty = Math.max(topGuilty, a.score);
      continue;
    }
    if (a.accused) innocentsAccused++;
    if (a.score > top) top = a.score;
    if (a.innocentProbability < bound) bound = a.innocentProbability;
  }
  const first = result.accusations[0]!.recipient;
  return {
    colluders: c,
    firstGuilty: guiltySet.has(first),
    guiltyAccused,
    guiltyPerPosition: guiltyScore / c / Math.max(1, result.positions),
    topGuiltyRatio: topGuilty / result.threshold,
    positions: result.positions,
    threshold: result.threshold,
    innocents: result.accusations.length - guiltySet.size,
    innocentsAccused,
    ratio: top / result.threshold,
    sigmas: top / Math.sqrt(result.positions),
    bound,
    first,
    guilty,
    markMs,
    traceMs,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

const began = Date.now();
// The baseline: the first trace derives every candidate's codeword (each trace did, before).
const cold = trial(1);

console.log(
  `### Leak tracing: ${ROWS.toLocaleString('en')} rows, ${RECIPIENTS.toLocaleString('en')} recipients, leaks of ${SHARE * 100} % (${LEAKED.toLocaleString('en')} rows, ${(2 * LEAKED).toLocaleString('en')} tolerant cells), ${TRIALS.toLocaleString('en')} trials each, ε = ${FALSE_ACCUSATION.toExponential(0)}\n`,
);
console.log(
  '| colluders | first suspect guilty | all colluders accused | guilty accused (mean) | guilty score per position (mean) | best guilty score / threshold (least) | innocents accused | highest innocent score / threshold | positions (mean) | threshold (mean) | mark ms (median) | trace ms (median) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const traceTimes: number[] = [];
for (const c of [1, 2, 3]) {
  const trials = Array.from({ length: TRIALS }, (_, i) => (c === 1 && i === 0 ? cold : trial(c)));
  const first = trials.filter((t) => t.firstGuilty).length;
  const all = trials.filter((t) => t.guiltyAccused === c).length;
  const innocentAccused = trials.reduce((a, t) => a + t.innocentsAccused, 0);
  const pairs = trials.reduce((a, t) => a + t.innocents, 0);
  const warm = trials.filter((t) => t !== cold);
  traceTimes.push(...warm.map((t) => t.traceMs));
  console.log(
    `| ${c} | ${first}/${TRIALS} (${((100 * first) / TRIALS).toFixed(1)} %) | ${all}/${TRIALS} | ${mean(trials.map((t) => t.guiltyAccused)).toFixed(3)} | ${mean(trials.map((t) => t.guiltyPerPosition)).toFixed(3)} | ${Math.min(...trials.map((t) => t.topGuiltyRatio)).toFixed(2)} | ${innocentAccused} of ${pairs.toLocaleString('en')} | ${Math.max(...trials.map((t) => t.ratio)).toFixed(3)} | ${Math.round(mean(trials.map((t) => t.positions)))} | ${mean(trials.map((t) => t.threshold)).toFixed(1)} | ${median(warm.map((t) => t.markMs)).toFixed(1)} | ${median(warm.map((t) => t.traceMs)).toFixed(1)} |`,
  );
}

// Innocence: further trials, each scored against the recipients who gave none of its rows.
let innocentAccused = 0;
let trialsWithOne = 0;
let pairs = 0;
let ratio = -Infinity;
let sigmas = -Infinity;
let bound = 1;
const innocenceStarted = Date.now();
for (let i = 0; i < INNOCENCE_TRIALS; i++) {
  const x = trial(1 + (i % 3));
  innocentAccused += x.innocentsAccused;
  if (x.innocentsAccused) trialsWithOne++;
  pairs += x.innocents;
  ratio = Math.max(ratio, x.ratio);
  sigmas = Math.max(sigmas, x.sigmas);
  bound = Math.min(bound, x.bound);
}
const innocenceSeconds = (Date.now() - innocenceStarted) / 1000;
console.log(
  `\n### Innocence: ${INNOCENCE_TRIALS.toLocaleString('en')} further trials (1, 2, 3 colluders in turn), each scored against its innocents\n`,
);
console.log(
  '| trials | innocent scores | innocents accused | trials accusing an innocent | highest innocent score / threshold | highest innocent score / √positions | least innocent bound (accused at ≤ ε/N) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
console.log(
  `| ${INNOCENCE_TRIALS.toLocaleString('en')} | ${pairs.toLocaleString('en')} | ${innocentAccused} | ${trialsWithOne} | ${ratio.toFixed(3)} | ${sigmas.toFixed(2)} σ | ${bound.toExponential(2)} (ε/N = ${(FALSE_ACCUSATION / RECIPIENTS).toExponential(0)}) |`,
);

console.log(
  `\n### Smaller leaks: ${SWEEP_TRIALS.toLocaleString('en')} trials each (same resource, recipients and threshold rule)\n`,
);
console.log(
  '| leaked rows | colluders | positions (mean) | threshold (mean) | first suspect guilty | a guilty one accused | guilty accused (mean) | innocents accused |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const size of SWEEP) {
  for (const c of [1, 2, 3]) {
    const trials = Array.from({ length: SWEEP_TRIALS }, () => trial(c, size));
    const first = trials.filter((t) => t.firstGuilty).length;
    const some = trials.filter((t) => t.guiltyAccused > 0).length;
    console.log(
      `| ${size.toLocaleString('en')} | ${c} | ${Math.round(mean(trials.map((t) => t.positions)))} | ${mean(trials.map((t) => t.threshold)).toFixed(1)} | ${first}/${SWEEP_TRIALS} | ${some}/${SWEEP_TRIALS} | ${mean(trials.map((t) => t.guiltyAccused)).toFixed(2)} | ${trials.reduce((x, t) => x + t.innocentsAccused, 0)} of ${trials.reduce((x, t) => x + t.innocents, 0).toLocaleString('en')} |`,
    );
  }
}

const warmTrace = median(traceTimes);
console.log(
  '\n### Trace time: first trace (every codeword derived, as each trace did before) vs later ones\n',
);
console.log('| figure | first trace | later traces (median) | ratio |');
console.log('| --- | --- | --- | --- |');
console.log(
  `| trace ms (${RECIPIENTS.toLocaleString('en')} candidates, ~${cold.positions} positions) | ${cold.traceMs.toFixed(0)} | ${warmTrace.toFixed(1)} | ${(cold.traceMs / warmTrace).toFixed(0)}× |`,
);
console.log(
  `\n> seed ${SEED} (secret and trials); one resource, so one code: trials vary the colluders, the leaked rows and their mix. "innocents accused": (trial, innocent) pairs whose score reached the threshold; innocents are the recipients whose copies gave no leaked row. First trace: first suspect ${cold.first} (guilty: ${cold.guilty.join(', ')}), ${cold.innocentsAccused} innocents accused.`,
);
console.log(
  `> wall clock ${Math.round((Date.now() - began) / 1000)} s in all, of which the innocence trials ${Math.round(innocenceSeconds)} s (${((innocenceSeconds * 1000) / Math.max(1, INNOCENCE_TRIALS)).toFixed(1)} ms a trial: marking + trace); mark = markRow of the leaked rows, trace = leakedBits + accuse over all candidates (one core).`,
);
