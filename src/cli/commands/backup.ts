import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type BackupSummary, restoreBackup } from '../../backup/index.js';
import { loadConfig } from '../../config/index.js';
import { askServer, backupPlatform, dataDirHolder } from '../../server/index.js';
import { action } from '../run-action.js';
import { CLI_ACTOR, withPlatform } from '../with-store.js';

function printSummary(summary: BackupSummary): void {
  process.stdout.write(
    `backup written: ${summary.file} (${summary.bytes} bytes, sha256 ${summary.sha256})\n` +
      `  schema ${summary.schemaVersion}, audit log ${summary.auditTreeSize} entries, ${summary.members} members\n`,
  );
}

/** `huitong backup FILE` and `huitong restore FILE`. */
export function registerBackupCommands(program: Command): void {
  program
    .command('backup <file>')
    .description(
      'write one archive (.tar.gz) of the platform: a consistent snapshot of the metadata, the keys and the uploaded files, with a SHA-256 manifest; safe while the server runs',
    )
    .action(
      action(async (file: string) => {
        const config = loadConfig();
        const target = resolve(file);
        // PGlite is single-process: a running server takes the backup itself, over its control socket.
        if (!config.HUITONG_DATABASE_URL && dataDirHolder(config.HUITONG_DATA_DIR)) {
          printSummary(
            (await askServer(config.HUITONG_DATA_DIR, { op: 'backup', file: target })) as BackupSummary,
          );
          return;
        }
        await withPlatform(async (platform) =>
          printSummary(await backupPlatform(platform, config, target, CLI_ACTOR)),
        );
      }),
    );
  program
    .command('restore <file>')
    .description(
      'restore an archive into an empty data directory (and an empty database with HUITONG_DATABASE_URL): checks every member against the manifest, loads, upgrades to this version’s schema and verifies the audit log',
    )
    .action(
      action(async (file: string) => {
        const config = loadConfig();
        const report = await restoreBackup({
          file: resolve(file),
          dataDir: config.HUITONG_DATA_DIR,
          databaseUrl: config.HUITONG_DATABASE_URL,
          origin: config.HUITONG_AUDIT_ORIGIN,
          secretKeyFromEnv: config.HUITONG_SECRET_KEY,
          actor: CLI_ACTOR,
        });
        const { manifest, verified, upgraded } = report;
        process.stdout.write(
          `restored ${file} (taken ${manifest.createdAt} from ${manifest.store}, schema ${manifest.schemaVersion})\n` +
            (upgraded.length ? `  upgraded with ${upgraded.join(', ')}\n` : '') +
            `  ${manifest.tables.reduce((n, t) => n + t.rows, 0)} rows in ${manifest.tables.length} tables, ${manifest.members.filter((m) => m.name.startsWith('files/')).length} uploaded files\n` +
            `  audit log verified: ${verified.treeSize} entries, root ${verified.rootHash}, ${verified.checkpointsVerified} checkpoints consistent\n` +
            (manifest.secretKey.kind === 'environment'
              ? '  source credentials are sealed with HUITONG_SECRET_KEY: keep it set for the server\n'
              : ''),
        );
      }),
    );
}
