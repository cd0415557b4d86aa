import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import {
  exportLog,
  storeLogSource,
  type VerifyReport,
  verifyExport,
  verifyLog,
  watchLog,
} from '../../audit/index.js';
import { action } from '../run-action.js';
import { withPlatform } from '../with-store.js';

function printReport(report: VerifyReport): void {
  if (report.ok) {
    process.stdout.write(
      `log verified: ${report.treeSize} entries, root ${report.rootHash}, ${report.checkpointsVerified} checkpoints consistent\n`,
    );
    return;
  }
  const p = report.problem!;
  process.stdout.write(`LOG FAILED VERIFICATION at index ${p.index}: ${p.code}: ${p.message}\n`);
  process.exitCode = 2;
}

/** A fetcher of a remote platform's checkpoint and consistency proof, for monitor mode. */
function remoteFetcher(base: string) {
  return async (since: number) => {
    const get = async (path: string) => {
      const response = await fetch(new URL(path, base), { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return response;
    };
    const checkpoint = (await (await get('/api/v1/audit/checkpoint')).json()) as {
      note: string;
      treeSize: number;
    };
    let proof: Uint8Array[] = [];
    if (since > 0 && checkpoint.treeSize > since) {
      const body = (await (
        await get(`/api/v1/audit/proof/consistency?from=${since}&to=${checkpoint.treeSize}`)
      ).json()) as {
        path: string[];
      };
      proof = body.path.map((p) => Buffer.from(p, 'base64'));
    }
    return { note: checkpoint.note, proof };
  };
}

/** `huitong audit verify | export`. */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit log');
  audit
    .command('verify')
    .description(
      'recompute the whole tree, check every checkpoint signature and their consistency; exit 2 on a problem',
    )
    .option('--file <export.ndjson>', 'verify an exported log offline instead of the configured store')
    .option('--vkey <vkey>', 'trust this verifier key instead of the one in the export')
    .option(
      '--watch <url>',
      'monitor a running platform: follow its checkpoints and alarm on any inconsistency',
    )
    .option('--interval <seconds>', 'polling interval for --watch', '10')
    .action(
      action(async (o: { file?: string; vkey?: string; watch?: string; interval: string }) => {
        if (o.watch) return watch(o.watch, Number(o.interval), o.vkey);
        if (o.file) {
          const lines = createInterface({
            input: createReadStream(o.file),
            crlfDelay: Number.POSITIVE_INFINITY,
          });
          return printReport(await verifyExport(lines, { vkey: o.vkey }));
        }
        await withPlatform(async ({ store, audit }) => {
          printReport(await verifyLog(await storeLogSource(store.db, audit.origin, audit.vkey)));
        });
      }),
    );
  audit
    .command('export')
    .description('write the whole log (entries, checkpoints, key) as NDJSON for offline verification')
    .option('--out <file>', 'output file (default: standard output)')
    .action(
      action(async (o: { out?: string }) => {
        await withPlatform(async ({ store, audit }) => {
          const out = o.out ? createWriteStream(o.out) : process.stdout;
          try {
            for await (const line of exportLog(store.db, audit.origin, audit.vkey)) {
              if (!out.write(`${line}\n`)) await once(out, 'drain');
            }
          } finally {
            if (o.out) out.end();
          }
        });
      }),
    );
}

async function watch(url: string, intervalSeconds: number, vkeyGiven?: string): Promise<void> {
  const key = (await (await fetch(new URL('/api/v1/audit/public-key', url))).json()) as {
    origin: string;
    vkey: string;
  };
  const vkey = vkeyGiven ?? key.vkey;
  process.stdout.write(`watching ${url} (${key.origin}) every ${intervalSeconds} s\n`);
  const watcher = watchLog({
    fetch: remoteFetcher(url),
    vkey,
    origin: key.origin,
    intervalMs: intervalSeconds * 1000,
    onCheckpoint: (c) =>
      process.stdout.write(`${new Date().toISOString()} checkpoint ${c.size} consistent\n`),
    onAlarm: (alarm) => {
      process.stdout.write(`${new Date().toISOString()} ALARM ${alarm.code}: ${alarm.message}\n`);
      process.exitCode = 2;
    },
    onError: (error) =>
      process.stderr.write(`${new Date().toISOString()} fetch failed: ${(error as Error).message}\n`),
  });
  await watcher.poll();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => {
      watcher.stop();
      resolve();
    });
  });
}
