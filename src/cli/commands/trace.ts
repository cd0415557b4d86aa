import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { configuredTraceSecret } from '../../server/index.js';
import { evidenceHtml, readBounded, type TraceReport, traceLeak } from '../../tracing/index.js';
import { action } from '../run-action.js';
import { CLI_ACTOR, withPlatform } from '../with-store.js';

const fixed = (p: number) => (p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

/** The report as a terminal reads it: each traced resource, then the ranked suspects. */
export function formatTrace(report: TraceReport, shown = 10): string {
  const out = [
    `file: ${report.format} (${report.encoding}), ${report.rows} rows; false accusation ≤ ${report.epsilon}`,
  ];
  for (const r of report.resources)
    out.push(
      `resource ${r.code} ${r.name}: key ${r.keyColumn}, tolerant ${r.tolerantColumns.join(', ')}; ` +
        `${r.positions} code positions, threshold ${r.threshold.toFixed(1)}, ${r.candidates} recipients`,
    );
  out.push('rank  accused  score     P(innocent ≥)  recipient  organisation  releases');
  report.suspects.slice(0, shown).forEach((s, i) => {
    out.push(
      [
        String(i + 1).padEnd(5),
        (s.accused ? '是 yes' : '否 no').padEnd(8),
        s.score.toFixed(1).padEnd(9),
        fixed(s.innocentProbability).padEnd(14),
        `${s.name ?? s.recipient} (${s.recipient})`,
        s.organization.name ?? s.organization.id ?? '',
        s.releases.map((e) => `#${e.index}`).join(' '),
      ].join(' '),
    );
  });
  return `${out.join('\n')}\n`;
}

/** `huitong trace FILE`: traces a leaked file on this server's store, logged as the CLI's trace. */
export function registerTraceCommand(program: Command): void {
  program
    .command('trace')
    .argument('<file>', 'the leaked CSV, XLSX or JSON file')
    .option('--json', 'print the report as JSON')
    .option('--top <n>', 'how many suspects to print', '10')
    .option('--html <out>', 'also write the evidence report (HTML) to this file')
    .description('trace a leaked file to the recipients whose marks it carries (docs/tracing.md)')
    .action(
      action(async (file: string, options: { json?: boolean; top: string; html?: string }) => {
        const bytes = await readBounded(createReadStream(file));
        const secret = await configuredTraceSecret(loadConfig());
        await withPlatform(async ({ store, audit }) => {
          let report: TraceReport | undefined;
          try {
            report = await traceLeak(store.db, secret, bytes);
          } finally {
            await audit.append({
              type: 'tracing.traced',
              actor: CLI_ACTOR,
              requestId: null,
              resources: report?.resources.map((r) => r.code) ?? [],
              data: {
                file,
                bytes: bytes.length,
                rows: report?.rows ?? null,
                accused: report?.suspects.filter((s) => s.accused).map((s) => s.recipient) ?? [],
                outcome: report ? 'traced' : 'refused',
              },
            });
          }
          if (options.html) {
            const sha256 = createHash('sha256').update(bytes).digest('hex');
            await writeFile(
              options.html,
              evidenceHtml(report, { sha256, tracedAt: new Date().toISOString(), by: 'cli' }),
            );
          }
          process.stdout.write(
            options.json ? `${JSON.stringify(report, null, 2)}\n` : formatTrace(report, Number(options.top)),
          );
        });
      }),
    );
}
