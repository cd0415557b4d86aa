import { randomBytes } from 'node:crypto';
import { copyFile, link, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import type { AuditActor, AuditEvent } from '../audit/index.js';
import { VERSION } from '../config/index.js';
import type { Store } from '../store/index.js';
import { BackupError } from './errors.js';
import { AUDIT_KEY_FILE, SECRET_KEY_FILE, secretKeyCheck } from './key-files.js';
import { BACKUP_FORMAT, fileMember, keyMember, MANIFEST_MEMBER, type Manifest } from './manifest.js';
import { filesUnder, sha256File } from './members.js';
import { dumpSnapshot } from './snapshot.js';

/** What a backup needs: the open store, the data directory with the keys and files, the log's names. */
export interface BackupOptions {
  store: Store;
  dataDir: string;
  /** The audit log's origin and verifier key (AuditLog.origin, .vkey). */
  audit: { origin: string; vkey: string };
  /** HUITONG_SECRET_KEY, when the credentials key comes from the environment. */
  secretKeyFromEnv?: string;
  /** Where to write the archive (`.tar.gz`); written under a temporary name and renamed. */
  file: string;
}

/** What a backup wrote. */
export interface BackupSummary {
  file: string;
  bytes: number;
  sha256: string;
  createdAt: string;
  schemaVersion: string;
  auditTreeSize: number;
  members: number;
}

// A file the snapshot names may vanish before it is pinned (a source deleted or retyped by
// another process over PostgreSQL): the snapshot is then taken again.
const ATTEMPTS = 3;

/** Hard-links a file into the staging folder (instant, and immune to its later removal); copies across file systems. */
async function pinFile(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await link(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
  }
}

/** Takes the snapshot and pins its files; retried when a file it names is already gone. */
async function snapshotInto(options: BackupOptions, staging: string) {
  for (let attempt = 1; ; attempt++) {
    await rm(join(staging, 'metadata'), { recursive: true, force: true });
    await rm(join(staging, 'files'), { recursive: true, force: true });
    try {
      return await dumpSnapshot(options.store, staging, async (files) => {
        for (const path of files) {
          await pinFile(join(options.dataDir, path), join(staging, fileMember(path))).catch((error) => {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
            throw new BackupError('snapshot_moved', `the uploaded file ${path} changed during the backup`);
          });
        }
      });
    } catch (error) {
      if (!(error instanceof BackupError) || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** Copies the key files into the archive; returns how the credentials key is kept. */
async function copyKeys(options: BackupOptions, staging: string): Promise<Manifest['secretKey']> {
  await mkdir(join(staging, 'keys'), { recursive: true });
  const auditKey = join(options.dataDir, AUDIT_KEY_FILE);
  await copyFile(auditKey, join(staging, keyMember(AUDIT_KEY_FILE))).catch((error) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new BackupError('audit_key_missing', `the audit log's key ${auditKey} is missing`);
  });
  if (options.secretKeyFromEnv)
    return { kind: 'environment', check: secretKeyCheck(options.secretKeyFromEnv) };
  try {
    await copyFile(join(options.dataDir, SECRET_KEY_FILE), join(staging, keyMember(SECRET_KEY_FILE)));
    return { kind: 'file' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return { kind: 'none' }; // no source credentials were ever sealed
  }
}

/**
 * Writes one gzip'd tar archive of the platform: every table from one consistent snapshot, the
 * audit and credentials keys, the uploaded files the snapshot names, and `manifest.json` with
 * the SHA-256 of each member and the schema version. Safe while the platform serves.
 */
export async function writeBackup(options: BackupOptions): Promise<BackupSummary> {
  // Under the data directory, so that pinned files are hard links on the same file system.
  const scratch = join(options.dataDir, 'tmp');
  await mkdir(scratch, { recursive: true });
  const staging = await mkdtemp(join(scratch, 'backup-'));
  const partial = `${options.file}.${randomBytes(4).toString('hex')}.partial`;
  try {
    const createdAt = new Date().toISOString();
    const snapshot = await snapshotInto(options, staging);
    const secretKey = await copyKeys(options, staging);
    const names = await filesUnder(staging);
    const members: Manifest['members'] = [];
    for (const name of names) {
      const path = join(staging, name);
      members.push({ name, bytes: (await stat(path)).size, sha256: await sha256File(path) });
    }
    const manifest: Manifest = {
      format: BACKUP_FORMAT,
      createdAt,
      huitongVersion: VERSION,
      schemaVersion: snapshot.schemaVersion,
      store: options.store.kind,
      audit: {
        origin: options.audit.origin,
        vkey: options.audit.vkey,
        treeSize: snapshot.audit.treeSize,
        rootHash: snapshot.audit.rootHash.toString('base64'),
      },
      secretKey,
      tables: snapshot.tables,
      members,
    };
    await writeFile(join(staging, MANIFEST_MEMBER), `${JSON.stringify(manifest, null, 2)}\n`);
    await mkdir(dirname(options.file), { recursive: true });
    // The manifest first, so that a reader meets it before the members it describes.
    // Created 0600 before tar writes into it: the archive holds the keys.
    await writeFile(partial, '', { mode: 0o600 });
    await tar.c({ gzip: true, file: partial, cwd: staging, portable: true }, [MANIFEST_MEMBER, ...names]);
    await rename(partial, options.file);
    return {
      file: options.file,
      bytes: (await stat(options.file)).size,
      sha256: await sha256File(options.file),
      createdAt,
      schemaVersion: snapshot.schemaVersion,
      auditTreeSize: snapshot.audit.treeSize,
      members: members.length + 1,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(partial, { force: true });
  }
}

/** The audit entry of a backup taken: the archive's name, hash and what it holds (never its contents). */
export function backupCreatedEvent(actor: AuditActor, summary: BackupSummary, scheduled = false): AuditEvent {
  return {
    type: 'backup.created',
    actor,
    data: {
      file: summary.file,
      sha256: summary.sha256,
      bytes: summary.bytes,
      schemaVersion: summary.schemaVersion,
      treeSize: summary.auditTreeSize,
      scheduled,
    },
  };
}
