import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.js';
import { pdfFont } from '../../pdf/index.js';
import { configuredTraceSecret } from '../../server/index.js';
import {
  evidenceHtml,
  evidencePdf,
  evidenceProofs,
  readBounded,
  type TraceReport,
  traceLeak,
} from '../../tracing/index.js';
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
  out.push('rank  accused  score     P(innocent ≥)  recipient  organisation  releases  keys (created by)');
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
        s.keys.length
          ? `keys: ${s.keys.map((k) => `${k.name ?? k.id} (${k.createdBy ?? '?'})`).join(', ')}`
          : '',
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
    .option('--html <out>', 'also write the evidence report (HTML, with inclusion proofs) to this file')
    .option('--pdf <out>', 'also write the evidence report as PDF to this file (needs a Chinese font)')
    .description('trace a leaked file to the recipients whose marks it carries (docs/tracing.md)')
    .action(
      action(async (file: string, options: { json?: boolean; top: string; html?: string; pdf?: string }) => {
        const bytes = await readBounded(createReadStream(file));
        const config = loadConfig();
        // The font is looked for first: a PDF that cannot be printed costs no trace.
        const font = options.pdf ? pdfFont(config.HUITONG_PDF_FONT) : undefined;
        const secret = await configuredTraceSecret(config);
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
          if (options.html || options.pdf) {
            // A checkpoint signed now covers the newest releases, so that every one can be proved.
            await audit.checkpoint();
            const facts = {
              sha256: createHash('sha256').update(bytes).digest('hex'),
              tracedAt: new Date().toISOString(),
              by: 'cli',
              proofs: await evidenceProofs(store.db, report),
            };
            if (options.html) await writeFile(options.html, evidenceHtml(report, facts));
            if (options.pdf && font) await writeFile(options.pdf, await evidencePdf(report, facts, font));
          }
          process.stdout.write(
            options.json ? `${JSON.stringify(report, null, 2)}\n` : formatTrace(report, Number(options.top)),
          );
        });
      }),
    );
}
