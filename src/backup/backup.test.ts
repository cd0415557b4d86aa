import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildUser } from '../../test/support/factories.js';
import { SERVICES, serviceAvailable } from '../../test/support/services.js';
import { type AuditLog, createAuditLog, DEFAULT_ORIGIN } from '../audit/index.js';
import { loadConfig } from '../config/index.js';
import { openPlatformStore } from '../server/index.js';
import { SECRET_KEY_FILE as SOURCES_SECRET_KEY_FILE } from '../sources/index.js';
import { LATEST_MIGRATION, migrate, openStore, type Store, type StoreKind } from '../store/index.js';
import {
  type BackupSummary,
  pruneBackups,
  RESTORE_MARKER,
  restoreBackup,
  runScheduledBackup,
  SECRET_KEY_FILE,
  scheduledArchives,
  writeBackup,
} from './index.js';

// Backup → restore → verify on both stores, each in a database or directory of its own (a restore
// needs an empty one), with writes running while the backup is taken.

const postgresUp = await serviceAvailable('postgres');
const ACTOR = { kind: 'system', id: 'test', orgId: null } as const;
const temp = (what: string) => mkdtempSync(join(tmpdir(), `huitong-${what}-`));
const admin = postgresUp ? new pg.Client({ connectionString: SERVICES.postgres.url }) : undefined;
await admin?.connect();
const databases: string[] = [];
const dirs: string[] = [];

/** A fresh PostgreSQL database's URL. */
async function freshDatabase(): Promise<string> {
  const name = `ht_bk_${randomBytes(5).toString('hex')}`;
  await admin!.query(`CREATE DATABASE ${name}`);
  databases.push(name);
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

/** A platform's store and data directory, as a server has them (keys in files, PGlite under pglite/). */
interface Platform {
  kind: StoreKind;
  dataDir: string;
  databaseUrl?: string;
  store: Store;
  audit: AuditLog;
}

async function openPlatformOf(kind: StoreKind): Promise<Platform> {
  const dataDir = temp('bk-src');
  dirs.push(dataDir);
  const databaseUrl = kind === 'postgres' ? await freshDatabase() : undefined;
  const store = await openStore(databaseUrl ? { databaseUrl } : { dataDir: join(dataDir, 'pglite') });
  await migrate(store);
  const audit = await createAuditLog(store, { dataDir, checkpointEvery: 7, checkpointIntervalMs: 0 });
  return { kind, dataDir, databaseUrl, store, audit };
}

/** An uploaded file as the sources module keeps it: a Parquet under sources/<id>/, named by its row. */
async function addFileSource(p: Platform, orgId: string): Promise<{ path: string; bytes: Buffer }> {
  const id = randomUUID();
  const path = `sources/${id}/data-${Date.now()}.parquet`;
  const bytes = randomBytes(4096);
  mkdirSync(join(p.dataDir, 'sources', id), { recursive: true });
  writeFileSync(join(p.dataDir, path), bytes);
  await p.store.db
    .insertInto('sources')
    .values({
      id,
      org_id: orgId,
      name: `文件-${id.slice(0, 6)}`,
      kind: 'file',
      description: '',
      config: JSON.stringify({ format: 'csv', path, originalName: 'a.csv', sizeBytes: 4096, rowCount: 1 }),
      secret: null,
      secret_fields: [],
      created_by: null,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
  return { path, bytes };
}

/** Writes that run until stopped: an organisation and an audit entry each turn. Returns how many were acknowledged. */
function keepWriting(p: Platform) {
  let stop = false;
  let acknowledged = 0;
  const done = (async () => {
    while (!stop) {
      const org = await buildOrganization(p.store.db);
      await p.audit.append({ type: 'organization.created', actor: ACTOR, data: { id: org.id } });
      acknowledged++;
    }
  })();
  return {
    stop: async () => {
      stop = true;
      await done;
      return acknowledged;
    },
  };
}

const restoreInto = async (kind: StoreKind, file: string, dataDir = temp('bk-dst')) => {
  dirs.push(dataDir);
  const databaseUrl = kind === 'postgres' ? await freshDatabase() : undefined;
  const report = await restoreBackup({ file, dataDir, databaseUrl, origin: DEFAULT_ORIGIN, actor: ACTOR });
  return { report, dataDir, databaseUrl };
};

/** The member names of an archive. */
async function listMembers(file: string): Promise<string[]> {
  const names: string[] = [];
  await tar.t({ file, onReadEntry: (entry) => void names.push(entry.path) });
  return names;
}

afterAll(async () => {
  for (const name of databases)
    await admin!.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  await admin?.end();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

it('names the credentials key file as the sources module does', () => {
  expect(SECRET_KEY_FILE).toBe(SOURCES_SECRET_KEY_FILE);
});

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(`backup and restore [${kind}]`, () => {
    let source: Platform;
    let backup: BackupSummary;
    let file: { path: string; bytes: Buffer };
    let orgName: string;
    let username: string;
    const out = temp('bk-out');
    dirs.push(out);

    it('takes a backup while writes go on, and restores it into an empty target that verifies', async () => {
      source = await openPlatformOf(kind);
      const org = await buildOrganization(source.store.db);
      orgName = org.name;
      username = (await buildUser(source.store.db, { orgId: org.id })).username;
      file = await addFileSource(source, org.id);
      writeFileSync(join(source.dataDir, SECRET_KEY_FILE), `${randomBytes(32).toString('base64')}\n`);
      for (let i = 0; i < 20; i++)
        await source.audit.append({
          type: 'test.event',
          actor: ACTOR,
          data: { i, blob: Buffer.alloc(3, i).toString('hex') },
        });

      const writer = keepWriting(source);
      // Enough writes before the snapshot that it falls among them, whatever the machine's speed.
      const before = source.audit;
      while (
        (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_entries`.execute(source.store.db))
          .rows[0]!.n < 30
      )
        await new Promise((r) => setTimeout(r, 20));
      backup = await writeBackup({
        store: source.store,
        dataDir: source.dataDir,
        audit: { origin: before.origin, vkey: before.vkey },
        file: join(out, 'first.tar.gz'),
      });
      const acknowledged = await writer.stop();
      expect(acknowledged).toBeGreaterThan(0);
      expect(backup.schemaVersion).toBe(LATEST_MIGRATION);
      expect(backup.auditTreeSize).toBeGreaterThanOrEqual(30);

      const { report, dataDir, databaseUrl } = await restoreInto(kind, backup.file);
      expect(report.verified.ok).toBe(true);
      expect(report.verified.treeSize).toBe(backup.auditTreeSize);
      expect(report.upgraded).toEqual([]);
      expect(readdirSync(dataDir)).not.toContain(RESTORE_MARKER);
      // Keys and files come back byte for byte.
      for (const name of ['audit-ed25519.key', SECRET_KEY_FILE])
        expect(readFileSync(join(dataDir, name))).toEqual(readFileSync(join(source.dataDir, name)));
      expect(readFileSync(join(dataDir, file.path))).toEqual(file.bytes);

      // The restored platform opens, reads what was there, and its log verifies with the restore's entry.
      const store = await openStore(databaseUrl ? { databaseUrl } : { dataDir: join(dataDir, 'pglite') });
      try {
        const orgs = await store.db.selectFrom('organizations').select('name').execute();
        expect(orgs.map((o) => o.name)).toContain(orgName);
        const manifestOrgs = report.manifest.tables.find((t) => t.name === 'organizations')!.rows;
        expect(orgs.length).toBe(manifestOrgs);
        const user = await store.db
          .selectFrom('users')
          .selectAll()
          .where('username', '=', username)
          .executeTakeFirst();
        expect(user).toBeDefined();
        const log = await createAuditLog(store, { dataDir, checkpointIntervalMs: 0 });
        try {
          const last = await log.entry(backup.auditTreeSize);
          expect(last?.type).toBe('backup.restored');
          const verified = await log.verify({ deep: true });
          expect(verified.ok, JSON.stringify(verified.problem)).toBe(true);
          expect(verified.treeSize).toBe(backup.auditTreeSize + 1);
        } finally {
          await log.close();
        }
      } finally {
        await store.close();
      }
    }, 120_000);

    it('restores the same archive into the other kind of store', async () => {
      const other = kind === 'pglite' ? 'postgres' : 'pglite';
      if (other === 'postgres' && !postgresUp) return;
      const { report } = await restoreInto(other, backup.file);
      expect(report.verified.ok).toBe(true);
    }, 120_000);

    it('refuses a corrupted archive, naming the member, and leaves the target empty', async () => {
      const unpacked = temp('bk-bad');
      dirs.push(unpacked);
      await tar.x({ file: backup.file, cwd: unpacked });
      const member = 'metadata/organizations.ndjson';
      const text = readFileSync(join(unpacked, member), 'utf8');
      writeFileSync(join(unpacked, member), text.replace(orgName, `${orgName}X`));
      const bad = join(out, 'bad.tar.gz');
      await tar.c({ gzip: true, file: bad, cwd: unpacked }, readdirSync(unpacked));
      const target = temp('bk-dst');
      dirs.push(target);
      await expect(restoreInto(kind, bad, target)).rejects.toThrow(
        new RegExp(`member ${member} does not match its SHA-256`),
      );
      expect(readdirSync(target)).toEqual([]);

      // A damaged byte in the compressed stream: refused as unreadable (or as the member it lands in).
      const bytes = readFileSync(backup.file);
      bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
      const flipped = join(out, 'flipped.tar.gz');
      writeFileSync(flipped, bytes);
      await expect(restoreInto(kind, flipped, target)).rejects.toThrow(
        /not a readable backup archive|member /,
      );
      expect(readdirSync(target)).toEqual([]);
    }, 120_000);

    it('refuses a target that is not empty', async () => {
      const full = temp('bk-full');
      dirs.push(full);
      writeFileSync(join(full, 'something'), 'x');
      await expect(
        restoreBackup({ file: backup.file, dataDir: full, origin: DEFAULT_ORIGIN, actor: ACTOR }),
      ).rejects.toThrow(/is not empty/);
      expect(readdirSync(full)).toEqual(['something']);
      if (kind !== 'postgres') return;
      const databaseUrl = await freshDatabase();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query('CREATE TABLE already_here (x int)');
      await client.end();
      const empty = temp('bk-dst');
      dirs.push(empty);
      await expect(
        restoreBackup({
          file: backup.file,
          dataDir: empty,
          databaseUrl,
          origin: DEFAULT_ORIGIN,
          actor: ACTOR,
        }),
      ).rejects.toThrow(/database holds 1 tables/);
      expect(readdirSync(empty)).toEqual([]);
    }, 60_000);

    it.skipIf(kind !== 'pglite')(
      'refuses an archive that does not fit this platform before writing anything',
      async () => {
        const target = temp('bk-dst');
        dirs.push(target);
        const restore = (file: string, more: { origin?: string; secretKeyFromEnv?: string } = {}) =>
          restoreBackup({ file, dataDir: target, origin: DEFAULT_ORIGIN, actor: ACTOR, ...more });
        await expect(restore(backup.file, { origin: 'other.example/audit' })).rejects.toThrow(
          /set HUITONG_AUDIT_ORIGIN=huitong\.local\/audit/,
        );
        expect(readdirSync(target)).toEqual([]);

        // A schema this build does not know (a newer version's archive).
        const unpacked = temp('bk-future');
        dirs.push(unpacked);
        await tar.x({ file: backup.file, cwd: unpacked });
        const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));
        writeFileSync(
          join(unpacked, 'manifest.json'),
          JSON.stringify({ ...manifest, schemaVersion: '9999-future' }),
        );
        const future = join(out, 'future.tar.gz');
        await tar.c({ gzip: true, file: future, cwd: unpacked }, readdirSync(unpacked));
        await expect(restore(future)).rejects.toThrow(/schema 9999-future is unknown to this build/);
        expect(readdirSync(target)).toEqual([]);

        // The credentials key from the environment: the archive holds only its check value.
        const key = randomBytes(32).toString('base64');
        const withEnvKey = await writeBackup({
          store: source.store,
          dataDir: source.dataDir,
          audit: { origin: source.audit.origin, vkey: source.audit.vkey },
          secretKeyFromEnv: key,
          file: join(out, 'env-key.tar.gz'),
        });
        const members = (await listMembers(withEnvKey.file)).filter((m) => m.startsWith('keys/'));
        expect(members).toEqual(['keys/audit-ed25519.key']);
        await expect(restore(withEnvKey.file)).rejects.toThrow(/set the same key/);
        await expect(
          restore(withEnvKey.file, { secretKeyFromEnv: randomBytes(32).toString('hex') }),
        ).rejects.toThrow(/not the key the archive/);
        expect(readdirSync(target)).toEqual([]);
        const report = await restore(withEnvKey.file, {
          secretKeyFromEnv: Buffer.from(key, 'base64').toString('hex'),
        });
        expect(report.verified.ok).toBe(true);
      },
      120_000,
    );

    it.skipIf(kind !== 'pglite')('never writes an archive without a file its snapshot names', async () => {
      const org = await buildOrganization(source.store.db);
      const gone = await addFileSource(source, org.id);
      rmSync(join(source.dataDir, gone.path));
      const file = join(out, 'missing-file.tar.gz');
      await expect(
        writeBackup({
          store: source.store,
          dataDir: source.dataDir,
          audit: { origin: source.audit.origin, vkey: source.audit.vkey },
          file,
        }),
      ).rejects.toThrow(`the uploaded file ${gone.path} changed during the backup`);
      expect(readdirSync(out).filter((n) => n.startsWith('missing-file'))).toEqual([]);
    });

    afterAll(async () => {
      await source?.audit.close();
      await source?.store.close();
    });
  });
}

describe('a restore that did not finish', () => {
  it('keeps the server and the CLI from opening the data directory', async () => {
    const dataDir = temp('bk-half');
    dirs.push(dataDir);
    writeFileSync(join(dataDir, RESTORE_MARKER), 'began\n');
    await expect(openPlatformStore(loadConfig({ HUITONG_DATA_DIR: dataDir }))).rejects.toThrow(
      /restore into .* began and did not finish/,
    );
  });
});

describe('scheduled backups', () => {
  it('writes one archive per interval and keeps the newest N', async () => {
    const source = await openPlatformOf('pglite');
    const dir = temp('bk-sched');
    dirs.push(dir);
    try {
      const schedule = { dir, intervalMs: 3600_000, keep: 2 };
      const options = {
        store: source.store,
        dataDir: source.dataDir,
        audit: { origin: source.audit.origin, vkey: source.audit.vkey },
      };
      const start = Date.parse('2025-03-01T00:00:00Z');
      for (let hour = 0; hour < 4; hour++) {
        const at = new Date(start + hour * 3600_000 + 60_000);
        expect(await runScheduledBackup(schedule, options, at)).toBeDefined();
        // A second run (another process, or the next tick) in the same interval writes nothing.
        expect(await runScheduledBackup(schedule, options, new Date(at.getTime() + 1000))).toBeUndefined();
      }
      expect(await scheduledArchives(dir)).toHaveLength(4);
      const removed = await pruneBackups(dir, schedule.keep);
      expect(removed).toHaveLength(2);
      const kept = await scheduledArchives(dir);
      expect(kept).toEqual([
        'huitong-2025-03-01T02-00-00-000Z.tar.gz',
        'huitong-2025-03-01T03-00-00-000Z.tar.gz',
      ]);
    } finally {
      await source.audit.close();
      await source.store.close();
    }
  }, 60_000);
});
