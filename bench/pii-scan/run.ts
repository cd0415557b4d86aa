/**
 * Throughput of the PII scan, single-threaded (per core): MB/s of UTF-8 over mixed Chinese text
 * and over a generated 1,000,000-row table, against baselines in the same run (a byte-length
 * pass, one regex, and the usual one-regex-per-kind scan). Run: npx tsx bench/pii-scan/run.ts
 */
import { cpus, loadavg } from 'node:os';
import { detectPii } from '../../src/privacy/index.js';
import { generateDoc, generateTable } from '../pii-corpus/corpus.js';
import { Rng } from '../pii-corpus/rng.js';

const ROWS = Number(process.env.BENCH_PII_ROWS ?? 1_000_000);
const TEXT_MB = Number(process.env.BENCH_PII_TEXT_MB ?? 32);
const RUNS = Number(process.env.BENCH_PII_RUNS ?? 3);
const rng = new Rng(7);

// The common alternative: one regular expression per kind, each run over the whole text.
const PER_KIND = [
  /\d{17}[\dXx]/g,
  /1[3-9]\d{9}/g,
  /\d{16,19}/g,
  /[\w.+-]+@[\w-]+\.[\w.]+/g,
  /[EG]\d{8}/g,
  /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{5,6}/g,
  /(?:\d{1,3}\.){3}\d{1,3}/g,
  /[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}/g,
  /0\d{2,3}-\d{7,8}/g,
  /(?:姓名|联系人)[:：]?[\u4e00-\u9fff]{2,4}/g,
  /[\u4e00-\u9fff]{2,10}(?:省|市|区|县)[\u4e00-\u9fff\d]{2,20}号/g,
];

function time(fn: () => number): [number, number] {
  const t0 = process.hrtime.bigint();
  const out = fn();
  return [Number(process.hrtime.bigint() - t0) / 1e9, out];
}

function best(fn: () => number, runs = RUNS): [number, number] {
  let result: [number, number] = [Number.POSITIVE_INFINITY, 0];
  for (let i = 0; i < runs; i++) {
    const r = time(fn);
    if (r[0] < result[0]) result = r;
  }
  return result;
}

function report(title: string, bytes: number, rows: [string, () => number][]): void {
  console.log(`\n### ${title} (${(bytes / 1e6).toFixed(1)} MB of UTF-8)\n`);
  console.log('| pass | seconds | MB/s | findings | detectPii time ÷ this |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  const results = rows.map(([name, fn]) => [name, ...best(fn)] as const);
  const ours = results[0]![1];
  for (const [name, s, n] of results) {
    console.log(
      `| ${name} | ${s.toFixed(3)} | ${(bytes / 1e6 / s).toFixed(1)} | ${n.toLocaleString('en')} | ${(ours / s).toFixed(2)} |`,
    );
  }
}

// Mixed Chinese text: the labelled corpus (≈ 30 % of sentences carry an identifier, 14 % a look-alike).
let text = '';
while (Buffer.byteLength(text) < TEXT_MB * 1e6) text += generateDoc(rng, 200).text;
const textBytes = Buffer.byteLength(text);
const single = /\d{11,19}/g;
report('Mixed Chinese text', textBytes, [
  ['detectPii (all 13 kinds, one pass)', () => detectPii(text).length],
  ['baseline: Buffer.byteLength', () => Buffer.byteLength(text)],
  ['baseline: one regex /\\d{11,19}/g', () => text.match(single)?.length ?? 0],
  [
    `baseline: ${PER_KIND.length} regexes, one per kind`,
    () => PER_KIND.reduce((n, re) => n + (text.match(re)?.length ?? 0), 0),
  ],
]);

if (ROWS === 0) {
  console.log(`\n${machine()}`);
  process.exit(0);
}
// A 1,000,000-row table, scanned cell by cell (how a column sample or an export is checked).
const columns = generateTable(rng, 1000, true).map((c) => c.values);
const cell = (r: number, c: number) => columns[c]![(r * 7 + c * 13) % 1000]!;
let tableBytes = 0;
for (let r = 0; r < ROWS; r++)
  for (let c = 0; c < columns.length; c++) tableBytes += Buffer.byteLength(cell(r, c));
const overCells = (fn: (v: string) => number) => () => {
  let n = 0;
  for (let r = 0; r < ROWS; r++) for (let c = 0; c < columns.length; c++) n += fn(cell(r, c));
  return n;
};
report(`${ROWS.toLocaleString('en')}-row table, ${columns.length} columns, per cell`, tableBytes, [
  ['detectPii per cell', overCells((v) => detectPii(v).length)],
  ['baseline: Buffer.byteLength per cell', overCells((v) => Buffer.byteLength(v))],
  ['baseline: one regex per cell', overCells((v) => (/\d{11,19}/.test(v) ? 1 : 0))],
]);
function machine(): string {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
  return `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, single thread, best of ${RUNS}, load average ${load}`;
}
console.log(`\n${machine()}`);
