/**
 * Precision and recall of the PII detectors on a seeded labelled corpus: free text with planted
 * identifiers of every kind, check-digit-invalid look-alikes and clean Chinese text, plus tables
 * for column classification. Run: npx tsx bench/pii-corpus/run.ts [seed] [documents]
 */
import {
  classifyColumns,
  detectPii,
  HIT_CONFIDENCE,
  PII_KINDS,
  type PiiKind,
} from '../../src/privacy/index.js';
import { generateDoc, generateTable } from './corpus.js';
import { type KindCounts, ratio, score } from './metrics.js';
import { Rng } from './rng.js';

const seed = Number(process.argv[2] ?? 20250601);
const documents = Number(process.argv[3] ?? 2000);
const today = new Date('2025-06-01T00:00:00Z');
const rng = new Rng(seed);
const counts = new Map<PiiKind, KindCounts>();
let chars = 0;
let lookalikes = 0;
const misses: string[] = [];

for (let d = 0; d < documents; d++) {
  const doc = generateDoc(rng);
  chars += doc.text.length;
  lookalikes += doc.lookalikes;
  const hits = detectPii(doc.text, { today, minConfidence: HIT_CONFIDENCE });
  score(counts, hits, doc.labels);
  if (process.env.BENCH_VERBOSE) {
    for (const f of hits)
      if (!doc.labels.some((l) => l.kind === f.kind && l.start < f.end && f.start < l.end))
        misses.push(`FP ${f.kind} ${f.value}`);
    for (const l of doc.labels)
      if (!hits.some((f) => f.kind === l.kind && l.start < f.end && f.start < l.end))
        misses.push(`FN ${l.kind} ${doc.text.slice(Math.max(0, l.start - 6), l.end + 4)}`);
  }
}

console.log(
  `## PII detection on free text (seed ${seed}, ${documents} documents, ${chars.toLocaleString('en')} characters, ${lookalikes} look-alikes)\n`,
);
console.log('| kind | planted | hits (conf ≥ 0.5) | true positives | precision | recall |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const kind of PII_KINDS) {
  const c = counts.get(kind);
  if (c)
    console.log(
      `| ${kind} | ${c.labels} | ${c.hits} | ${c.truePositives} | ${ratio(c.truePositives, c.hits)} | ${ratio(c.truePositives, c.labels)} |`,
    );
}

const tables: [string, boolean][] = [
  ['meaningful column names', true],
  ['meaningless column names (c17…)', false],
];
console.log('\n## Column classification (200-row tables)\n');
console.log('| column names | kind | tables | correct | accuracy |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const [label, meaningful] of tables) {
  const tally = new Map<string, [number, number]>();
  for (let t = 0; t < 40; t++) {
    const columns = generateTable(rng, 200, meaningful);
    const result = classifyColumns(columns, { today });
    columns.forEach((c, i) => {
      const key = c.truth ?? 'not personal';
      const [n, ok] = tally.get(key) ?? [0, 0];
      tally.set(key, [n + 1, ok + (result.columns[i]!.kind === c.truth ? 1 : 0)]);
    });
  }
  for (const [kind, [n, ok]] of tally) console.log(`| ${label} | ${kind} | ${n} | ${ok} | ${ratio(ok, n)} |`);
}
if (misses.length) console.error(misses.slice(0, 80).join('\n'));
