/**
 * Backup and restore benchmark: a platform whose audit log holds BENCH_BACKUP_ENTRIES entries
 * (default 200,000) is backed up (one snapshot, archive written) and restored into an empty
 * target (load, deep verification of the whole log), on PGlite and PostgreSQL. The baseline is the
 * engine's own dump of the same data in the same run: `pg_dump -Fc` for PostgreSQL, PGlite's
 * its data directory closed and packed as one tar.gz. Run: npx tsx bench/backup/run.ts
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import * as tar from 'tar';
import { createAuditLog } from '../../src/audit/index.js';
import { restoreBackup, writeBackup } from '../../src/backup/index.js';
import { migrate, openStore, type Store } from '../../src/store/index.js';
import { fill } from '../audit/million.js';

const ENTRIES = Number(process.env.BENCH_BACKUP_ENTRIES ?? 200_000);
const STORES = (process.env.BENCH_BACKUP_STORES ?? 'pglite,postgres').split(',');
const SERVER = process.env.HUITONG_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ACTOR = { kind: 'system', id: 'bench', orgId: null } as const;
const seconds = (since: number) => (performance.now() - since) / 1000;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

async function database(admin: pg.Client): Promise<{ url: string; name: string }> {
  const name = `bench_backup_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

async function bench(kind: string, admin: pg.Client) {
  const work = await mkdtemp(join(tmpdir(), 'huitong-bench-backup-'));
  const created: string[] = [];
  try {
    const dataDir = join(work, 'source');
    let url: string | undefined;
    if (kind === 'postgres') {
      const db = await database(admin);
      created.push(db.name);
      url = db.url;
    }
    const store: Store = await openStore(url ? { databaseUrl: url } : { dataDir: join(dataDir, 'pglite') });
    await migrate(store);
    const audit = await createAuditLog(store, { dataDir, checkpointIntervalMs: 0 });
    await fill(audit, 0, ENTRIES);
    await audit.checkpoint();

    let started = performance.now();
    const summary = await writeBackup({ store, dataDir, audit, file: join(work, 'backup.tar.gz') });
    const backupSeconds = seconds(started);

    // The engine's own dump of the same data.
    started = performance.now();
    let baselineBytes: number;
    if (url) {
      execFileSync('pg_dump', ['-Fc', '-f', join(work, 'pg.dump'), url]);
      baselineBytes = (await stat(join(work, 'pg.dump'))).size;
    } else {
      // PGlite's data directory, closed, as one tar.gz (what dumpDataDir produces).
      await audit.close();
      await store.close();
      await tar.c({ gzip: true, file: join(work, 'pglite.tar.gz'), cwd: dataDir }, ['pglite']);
      baselineBytes = (await stat(join(work, 'pglite.tar.gz'))).size;
    }
    const baselineSeconds = seconds(started);
    if (url) {
      await audit.close();
      await store.close();
    }

    let target: string | undefined;
    if (kind === 'postgres') {
      const db = await database(admin);
      created.push(db.name);
      target = db.url;
    }
    started = performance.now();
    const report = await restoreBackup({
      file: summary.file,
      dataDir: join(work, 'target'),
      databaseUrl: target,
      origin: audit.origin,
      actor: ACTOR,
    });
    const restoreSeconds = seconds(started);
    return {
      kind,
      entries: report.verified.treeSize,
      backupSeconds,
      archive: summary.bytes,
      baselineSeconds,
      baselineBytes,
      restoreSeconds,
    };
  } finally {
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await rm(work, { recursive: true, force: true });
  }
}

const admin = new pg.Client({ connectionString: SERVER });
await admin.connect();
const rows: string[] = [];
for (const kind of STORES) {
  const r = await bench(kind, admin);
  process.stderr.write(`${kind}: ${JSON.stringify(r)}\n`);
  rows.push(
    `| ${r.kind} | ${r.entries} | ${r.backupSeconds.toFixed(1)} s | ${mb(r.archive)} MB | ${r.baselineSeconds.toFixed(1)} s (${mb(r.baselineBytes)} MB) | ${(r.backupSeconds / r.baselineSeconds).toFixed(1)}× | ${r.restoreSeconds.toFixed(1)} s |`,
  );
}
await admin.end();
console.log(
  '| store | audit entries | backup | archive | engine dump (size) | backup ÷ dump | restore (load + deep verify) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) console.log(row);
console.log(
  `\n> Each entry is the audit benchmark's event; the platform's other tables are empty, so the figures are the audit log's. Engine dump: \`pg_dump -Fc\` (PostgreSQL), the closed data directory as one tar.gz (PGlite). The restore loads into an empty target of the same kind and verifies every entry, checkpoint and search column.`,
);
