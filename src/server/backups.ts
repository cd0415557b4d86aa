import type { FastifyBaseLogger } from 'fastify';
import type { AuditActor } from '../audit/index.js';
import { type BackupSummary, backupCreatedEvent, scheduleBackups, writeBackup } from '../backup/index.js';
import type { Config } from '../config/index.js';
import { listenControl } from './control.js';
import { describeError } from './fatal.js';
import type { Platform } from './open-platform.js';

/** Writes a backup of the running platform to `file` and logs it (`backup.created`) before answering. */
export async function backupPlatform(
  platform: Pick<Platform, 'store' | 'audit'>,
  config: Config,
  file: string,
  actor: AuditActor,
  scheduled = false,
): Promise<BackupSummary> {
  const summary = await writeBackup({
    store: platform.store,
    dataDir: config.HUITONG_DATA_DIR,
    audit: { origin: platform.audit.origin, vkey: platform.audit.vkey },
    secretKeyFromEnv: config.HUITONG_SECRET_KEY,
    file,
  });
  await platform.audit.append(backupCreatedEvent(actor, summary, scheduled));
  return summary;
}

const SCHEDULER = { kind: 'system', id: 'backup-scheduler', orgId: null } as const;
const CLI = { kind: 'system', id: 'cli', orgId: null } as const;

/**
 * The server's part in backups: over PGlite, the control socket through which `huitong backup`
 * asks it for one; with HUITONG_BACKUP_DIR, the scheduled backups and their retention.
 * Returns a function that stops both.
 */
export async function startBackups(
  platform: Platform,
  config: Config,
  log: FastifyBaseLogger,
): Promise<() => Promise<void>> {
  const stops: (() => Promise<void> | void)[] = [];
  if (platform.store.kind === 'pglite') {
    // Without the socket (a data directory path too long for one, a read-only directory) the
    // server still serves; `huitong backup` then says the server did not answer.
    try {
      stops.push(
        await listenControl(config.HUITONG_DATA_DIR, (request) =>
          backupPlatform(platform, config, request.file, CLI),
        ),
      );
    } catch (error) {
      log.warn(
        { error: describeError(error, { stack: false }) },
        'control socket unavailable: huitong backup cannot reach this server',
      );
    }
  }
  const dir = config.HUITONG_BACKUP_DIR;
  if (dir && config.HUITONG_BACKUP_INTERVAL_HOURS > 0) {
    const schedule = {
      dir,
      intervalMs: config.HUITONG_BACKUP_INTERVAL_HOURS * 3600_000,
      keep: config.HUITONG_BACKUP_KEEP,
    };
    stops.push(
      scheduleBackups(
        schedule,
        {
          store: platform.store,
          dataDir: config.HUITONG_DATA_DIR,
          audit: { origin: platform.audit.origin, vkey: platform.audit.vkey },
          secretKeyFromEnv: config.HUITONG_SECRET_KEY,
        },
        {
          onBackup: async (summary, pruned) => {
            await platform.audit.append(backupCreatedEvent(SCHEDULER, summary, true));
            log.info({ file: summary.file, bytes: summary.bytes, pruned }, 'scheduled backup written');
          },
          onError: (error) => log.error({ error: describeError(error) }, 'scheduled backup failed'),
        },
      ),
    );
  }
  return async () => {
    for (const stop of stops) await stop();
  };
}
