import { createPrivateKey } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { type AuditActor, auditKeyFrom, createAuditLog, type VerifyReport } from '../audit/index.js';
import { MIGRATION_NAMES, openStore, type Store } from '../store/index.js';
import { BackupError } from './errors.js';
import { AUDIT_KEY_FILE, secretKeyCheck } from './key-files.js';
import { loadTables } from './load-tables.js';
import { keyMember, type Manifest } from './manifest.js';
import { RESTORE_MARKER } from './marker.js';
import { sha256File } from './members.js';
import { unpackAndCheck } from './unpack.js';

/** Where to restore: an empty data directory, and an empty PostgreSQL database when a URL is given. */
export interface RestoreOptions {
  file: string;
  dataDir: string;
  /** HUITONG_DATABASE_URL; absent: PGlite under `<dataDir>/pglite`. */
  databaseUrl?: string;
  /** HUITONG_AUDIT_ORIGIN of the platform that will serve the restored data: must be the archive's. */
  origin: string;
  /** HUITONG_SECRET_KEY, required when the archive was taken with one. */
  secretKeyFromEnv?: string;
  /** Who restores, for the log's `backup.restored` entry. */
  actor: AuditActor;
}

/** What a restore did. */
export interface RestoreReport {
  manifest: Manifest;
  /** Migrations applied after the load (an archive of an older schema is upgraded). */
  upgraded: string[];
  /** The restored log's verification, before the restore's own entry. */
  verified: VerifyReport;
}

const STAGING = '.restore-staging';

async function assertEmptyDir(dataDir: string): Promise<void> {
  const entries = await readdir(dataDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  if (entries.length > 0)
    throw new BackupError(
      'target_not_empty',
      `the data directory ${dataDir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}): restore only into an empty one`,
    );
}

async function assertEmptyDatabase(store: Store): Promise<void> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema()`.execute(store.db);
  if ((rows[0]?.n ?? 0) > 0)
    throw new BackupError(
      'target_not_empty',
      `the database holds ${rows[0]!.n} tables in schema ${store.schema}: restore only into an empty database`,
    );
}

/** Checks the archive's names against the platform that will serve it, before anything is written. */
function assertFits(manifest: Manifest, options: RestoreOptions): void {
  if (!MIGRATION_NAMES.includes(manifest.schemaVersion))
    throw new BackupError(
      'schema_too_new',
      `the archive's schema ${manifest.schemaVersion} is unknown to this build (newest ${MIGRATION_NAMES.at(-1)}): restore with the version that wrote it`,
    );
  if (manifest.audit.origin !== options.origin)
    throw new BackupError(
      'origin_mismatch',
      `the archive's audit log is named ${manifest.audit.origin}; set HUITONG_AUDIT_ORIGIN=${manifest.audit.origin}`,
    );
  const secret = manifest.secretKey;
  if (secret.kind !== 'environment') return;
  if (!options.secretKeyFromEnv)
    throw new BackupError(
      'secret_key_missing',
      'the archive was taken with HUITONG_SECRET_KEY, which it does not hold: set the same key to restore',
    );
  if (secretKeyCheck(options.secretKeyFromEnv) !== secret.check)
    throw new BackupError(
      'secret_key_mismatch',
      'HUITONG_SECRET_KEY is not the key the archive’s source credentials were sealed with',
    );
}

/** Moves the keys and uploaded files from the staging folder into the data directory. */
async function placeFiles(manifest: Manifest, staging: string, dataDir: string): Promise<void> {
  for (const { name } of manifest.members) {
    let target: string;
    if (name.startsWith('keys/')) target = join(dataDir, name.slice('keys/'.length));
    else if (name.startsWith('files/')) target = join(dataDir, name.slice('files/'.length));
    else continue;
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await rename(join(staging, name), target);
    if (name.startsWith('keys/')) await chmod(target, 0o600);
  }
}

/**
 * Restores an archive into an empty data directory (and an empty database): refuses a non-empty
 * target; unpacks it and checks every member against the manifest's SHA-256 before touching
 * anything; then, under a marker that keeps servers from starting on half-restored data, places
 * the keys and files, loads the tables (upgrading an older schema), verifies the whole audit log
 * (deep) against the archive's head, records `backup.restored`, and removes the marker.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreReport> {
  const { dataDir } = options;
  await assertEmptyDir(dataDir);
  let store: Store | undefined;
  if (options.databaseUrl) {
    store = await openStore({ databaseUrl: options.databaseUrl });
    await assertEmptyDatabase(store).catch(async (error) => {
      await store!.close();
      throw error;
    });
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const marker = join(dataDir, RESTORE_MARKER);
  await writeFile(marker, `restore of ${options.file} began ${new Date().toISOString()}\n`, { flag: 'wx' });
  const staging = join(dataDir, STAGING);
  let manifest: Manifest;
  try {
    await mkdir(staging);
    manifest = await unpackAndCheck(options.file, staging);
    assertFits(manifest, options);
  } catch (error) {
    // Nothing was restored: the target is left as empty as it was found.
    await rm(staging, { recursive: true, force: true });
    await rm(marker, { force: true });
    await store?.close();
    throw error;
  }
  try {
    await placeFiles(manifest, staging, dataDir);
    store ??= await openStore({ dataDir: join(dataDir, 'pglite') });
    const upgraded = await loadTables(store, staging, manifest);
    const verified = await verifyRestored(store, dataDir, manifest);
    const log = await createAuditLog(store, {
      dataDir,
      origin: manifest.audit.origin,
      checkpointIntervalMs: 0,
    });
    await log.append({
      type: 'backup.restored',
      actor: options.actor,
      data: {
        archiveSha256: await sha256File(options.file),
        takenAt: manifest.createdAt,
        schemaVersion: manifest.schemaVersion,
        treeSize: manifest.audit.treeSize,
      },
    });
    await log.close();
    await rm(staging, { recursive: true, force: true });
    await rm(marker);
    return { manifest, upgraded, verified };
  } finally {
    await store?.close();
  }
}

/** The restored log must verify (deep) and end exactly at the archive's head, under the archive's key. */
async function verifyRestored(store: Store, dataDir: string, manifest: Manifest): Promise<VerifyReport> {
  const pem = await readFile(join(dataDir, AUDIT_KEY_FILE), 'utf8');
  const key = auditKeyFrom(manifest.audit.origin, createPrivateKey(pem));
  if (key.vkey !== manifest.audit.vkey)
    throw new BackupError(
      'audit_verification_failed',
      `the archive's audit key does not match its verifier key ${manifest.audit.vkey}`,
      keyMember(AUDIT_KEY_FILE),
    );
  const log = await createAuditLog(store, { key, origin: manifest.audit.origin, checkpointIntervalMs: 0 });
  try {
    const report = await log.verify({ deep: true });
    if (!report.ok)
      throw new BackupError(
        'audit_verification_failed',
        `the restored audit log failed verification at entry ${report.problem!.index}: ${report.problem!.code}: ${report.problem!.message}`,
      );
    if (report.treeSize !== manifest.audit.treeSize || report.rootHash !== manifest.audit.rootHash)
      throw new BackupError(
        'audit_verification_failed',
        `the restored audit log ends at ${report.treeSize} entries (root ${report.rootHash}), the archive at ${manifest.audit.treeSize} (root ${manifest.audit.rootHash})`,
      );
    return report;
  } finally {
    await log.close();
  }
}
