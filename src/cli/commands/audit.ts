import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import {
  exportLog,
  storeLogSource,
  type VerifyReport,
  verifyExport,
  verifyLog,
  watchLog,
} from '../../audit/index.js';
import { fetchAuditExport, type RemoteCredentials } from '../remote-audit.js';
import { action } from '../run-action.js';
import { localServerUrl } from '../server-url.js';
import { withPlatform } from '../with-store.js';

type RemoteOptions = { url?: string; user?: string };

/** The running server to read through, when --url is given. */
function remote(o: RemoteOptions): RemoteCredentials | undefined {
  if (!o.url) return undefined;
  return {
    url: o.url,
    user: o.user,
    password: process.env.HUITONG_PASSWORD,
    key: process.env.HUITONG_API_KEY,
  };
}

/**
 * The store, unless a running server holds the embedded database: then one clear line that names
 * the way through that server instead.
 */
async function withLocalLog<T>(work: Parameters<typeof withPlatform<T>>[0]): Promise<T> {
  try {
    return await withPlatform(work);
  } catch (error) {
    if (!/is in use by process/.test((error as Error).message)) throw error;
    throw new Error(
      `${(error as Error).message.split(' (a running server?)')[0]}, a running server: read the log through it ` +
        `with --url ${localServerUrl()} --user <auditor> (password in HUITONG_PASSWORD, or a key in HUITONG_API_KEY); ` +
        'it serves GET /api/v1/audit/export.ndjson to auditors',
    );
  }
}

const remoteOptions = (command: Command) =>
  command
    .option('--url <url>', `read through a running server (e.g. ${localServerUrl()}) instead of the store`)
    .option('--user <username>', 'with --url: an auditor; the password is read from HUITONG_PASSWORD');

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
  const verify = audit
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
    .option('--interval <seconds>', 'polling interval for --watch', '10');
  remoteOptions(verify).action(
    action(async (o: { file?: string; vkey?: string; watch?: string; interval: string } & RemoteOptions) => {
      if (o.watch) return watch(o.watch, Number(o.interval), o.vkey);
      const server = remote(o);
      if (o.file || server) {
        const lines = createInterface({
          input: server ? await fetchAuditExport(server) : createReadStream(o.file!),
          crlfDelay: Number.POSITIVE_INFINITY,
        });
        return printReport(await verifyExport(lines, { vkey: o.vkey }));
      }
      await withLocalLog(async ({ store, audit }) => {
        printReport(await verifyLog(await storeLogSource(store.db, audit.origin, audit.vkey)));
      });
    }),
  );
  const exportCommand = audit
    .command('export')
    .description('write the whole log (entries, checkpoints, key) as NDJSON for offline verification')
    .option('--out <file>', 'output file (default: standard output)');
  remoteOptions(exportCommand).action(
    action(async (o: { out?: string } & RemoteOptions) => {
      const server = remote(o);
      if (server) {
        const out = o.out ? createWriteStream(o.out) : process.stdout;
        await pipeline(await fetchAuditExport(server), out, { end: Boolean(o.out) });
        return;
      }
      await withLocalLog(async ({ store, audit }) => {
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
