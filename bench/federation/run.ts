// bench/federation (issue 17): `BENCH_MODE=reads` cross-node reads ÷ local reads at 32 clients;
// `report` report-up of 10,000 catalog entries and 100 changes to searchable at the national
// node; `cosign` a checkpoint cosigned across three nodes and published by the root. Without
// BENCH_MODE, all three, one after the other (each on nodes of its own).
import { benchCosign } from './cosign.js';
import { buildServer } from './nodes.js';
import { benchReads } from './reads.js';
import { benchReport } from './report.js';

const MODES: Record<string, () => Promise<void>> = {
  reads: benchReads,
  report: benchReport,
  cosign: benchCosign,
};
const wanted = process.env.BENCH_MODE ? process.env.BENCH_MODE.split(',') : Object.keys(MODES);
const unknown = wanted.filter((m) => !MODES[m]);
if (unknown.length)
  throw new Error(`unknown BENCH_MODE ${unknown.join(', ')}; have ${Object.keys(MODES).join(', ')}`);

buildServer();
for (const mode of wanted) {
  console.log(`\n### ${mode}\n`);
  await MODES[mode]!();
}
