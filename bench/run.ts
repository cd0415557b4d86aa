// The benchmark harness: `npm run bench` runs every bench/<name>/run.ts, `npm run bench -- NAME…`
// only those. Each benchmark measures our figure and, in the same run, the same work done straight
// on the database or engine we front, and prints a markdown table (figure, ours, baseline, ratio).
// The harness records each table in BENCHMARKS.md with the machine, the date and the command.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const benchDir = join(root, 'bench');
const file = join(root, 'BENCHMARKS.md');
const all = readdirSync(benchDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(benchDir, d.name, 'run.ts')))
  .map((d) => d.name)
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; have: ${all.join(', ')}`);
  process.exit(2);
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

const sections = new Map<string, string>();
const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
for (const match of previous.matchAll(/^## (\S+)\n([\s\S]*?)(?=^## |(?![\s\S]))/gm))
  sections.set(match[1]!, match[2]!.trimEnd());

let failed = 0;
for (const name of wanted.length ? wanted : all) {
  const command = `npm run bench -- ${name}`;
  console.log(`\n== ${name}`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, name, 'run.ts')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout);
  if (run.status !== 0) {
    failed++;
    console.error(`${name} failed with exit code ${run.status}`);
    continue;
  }
  // Tables, with the `###` headings that separate a benchmark's several tables.
  const table = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('|') || l.startsWith('### '))
    .map((l, i) => (l.startsWith('### ') ? `${i > 0 ? '\n' : ''}${l}\n` : l))
    .join('\n');
  const notes = run.stdout
    .split('\n')
    .filter((l) => l.startsWith('> '))
    .join('\n');
  sections.set(
    name,
    [
      `Command: \`${command}\` · ${new Date().toISOString().slice(0, 10)} · ${machine} · ${Math.round((Date.now() - started) / 1000)} s`,
      '',
      table,
      notes ? `\n${notes}` : '',
    ]
      .join('\n')
      .trimEnd(),
  );
}

const body = [...sections.entries()]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([name, text]) => `## ${name}\n${text}\n`);
writeFileSync(
  file,
  `# Benchmarks\n\nWritten by \`npm run bench\` (bench/run.ts). Each table gives our figure, a baseline doing the same work straight on the engine we front (measured in the same run), and their ratio. Machines are noisy: quote medians and ratios, and rerun before comparing.\n\n${body.join('\n')}`,
);
console.log(`\nBENCHMARKS.md updated (${sections.size} benchmarks)`);
process.exit(failed ? 1 : 0);
