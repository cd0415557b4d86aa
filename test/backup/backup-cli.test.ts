import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { RESTORE_MARKER } from '../../src/backup/index.js';
import { adminPassword } from '../multiprocess/platform.js';
import { type Client, call, login, type ServerProcess, startServer } from '../multiprocess/server-process.js';
import { huitongCommand } from '../support/cli-bundle.js';
import { until } from '../support/poll.js';
import { SERVICES, serviceAvailable } from '../support/services.js';

// `huitong backup` against a running server (over PGlite: through the server's control socket;
// over PostgreSQL: the CLI's own snapshot beside the servers), taken while organisations are
// being created through the API; `huitong restore` into an empty target; a server started on
// the restored data serves every organisation acknowledged before the backup began.

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const postgresUp = await serviceAvailable('postgres');
const dirs: string[] = [];
const databases: string[] = [];
const temp = (what: string) => {
  const dir = mkdtempSync(join(tmpdir(), `huitong-${what}-`));
  dirs.push(dir);
  return dir;
};
const admin = postgresUp ? new pg.Client({ connectionString: SERVICES.postgres.url }) : undefined;
await admin?.connect();

async function freshDatabase(): Promise<string> {
  const name = `ht_bkcli_${randomBytes(5).toString('hex')}`;
  await admin!.query(`CREATE DATABASE ${name}`);
  databases.push(name);
  return `postgres://postgres@127.0.0.1:5432/${name}`;
}

/** Runs the CLI (the test run's bundle of src/cli/main.ts); resolves with exit code and output. */
async function huitong(args: string[], env: Record<string, string>) {
  const cli = huitongCommand();
  try {
    const { stdout, stderr } = await run(cli.command, [...cli.args, ...args], {
      cwd: ROOT,
      env: { ...process.env, HUITONG_LOG_LEVEL: 'silent', HUITONG_DEMO: '0', ...env },
      timeout: 240_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    return { code: e.code ?? 1, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Creates organisations through the API until stopped; returns the ids acknowledged (201), in order. */
function createOrganizations(url: string, as: Client) {
  const acknowledged: string[] = [];
  let stop = false;
  const done = (async () => {
    for (let i = 0; !stop; i++) {
      const response = await call(url, as, 'POST', '/api/v1/organizations', {
        name: `备份测试单位-${randomBytes(3).toString('hex')}-${i}`,
        kind: 'department',
        level: 'provincial',
        regionCode: '350000',
      });
      if (response.status === 201) acknowledged.push(response.json.id);
    }
  })();
  return {
    acknowledged,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

afterAll(async () => {
  for (const name of databases)
    await admin!.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  await admin?.end();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(`huitong backup and restore [${kind}]`, () => {
    let server: ServerProcess | undefined;
    let restored: ServerProcess | undefined;
    afterAll(async () => {
      await server?.stop();
      await restored?.stop();
    });

    it('backs up a serving platform under writes and restores it for a server to start on', async () => {
      const dataDir = temp('bkcli-src');
      const env: Record<string, string> = { HUITONG_DATA_DIR: dataDir };
      if (kind === 'postgres') env.HUITONG_DATABASE_URL = await freshDatabase();
      server = await startServer(env, 180_000);
      const password = adminPassword(server.output());
      const session = await login(server.url, 'admin', password);
      const writer = createOrganizations(server.url, session);
      // Some writes are acknowledged before the backup starts; more go on while it runs.
      while (writer.acknowledged.length < 3) await new Promise((r) => setTimeout(r, 100));
      const beforeBackup = [...writer.acknowledged];
      const file = join(temp('bkcli-out'), 'platform.tar.gz');
      const backup = await huitong(['backup', file], env);
      await writer.stop();
      expect(backup.code, backup.stderr).toBe(0);
      expect(backup.stdout).toMatch(/backup written: .*platform\.tar\.gz/);
      expect(writer.acknowledged.length).toBeGreaterThan(beforeBackup.length);
      await server.stop();

      const target: Record<string, string> = { HUITONG_DATA_DIR: join(temp('bkcli-dst'), 'data') };
      if (kind === 'postgres') target.HUITONG_DATABASE_URL = await freshDatabase();
      const restore = await huitong(['restore', file], target);
      expect(restore.code, restore.stderr).toBe(0);
      expect(restore.stdout).toMatch(/audit log verified: \d+ entries/);
      expect(readdirSync(target.HUITONG_DATA_DIR!)).not.toContain(RESTORE_MARKER);

      restored = await startServer(target, 180_000);
      // The same administrator (the password is in the restored users table), the same organisations.
      const again = await login(restored.url, 'admin', password);
      for (const id of beforeBackup) {
        const org = await call(restored.url, again, 'GET', `/api/v1/organizations/${id}`);
        expect(org.status, id).toBe(200);
      }
      await restored.stop();
      // Its log verifies as a whole, the restore's own entry included.
      const verified = await huitong(['audit', 'verify'], target);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      expect(verified.stdout).toMatch(/log verified/);
    }, 600_000);
  });
}

describe('scheduled backups of a running server', () => {
  let server: ServerProcess | undefined;
  afterAll(() => server?.stop());

  it('writes an archive each interval into HUITONG_BACKUP_DIR and keeps the newest HUITONG_BACKUP_KEEP', async () => {
    const dir = temp('bkcli-sched');
    const dataDir = temp('bkcli-sched-data');
    server = await startServer(
      {
        HUITONG_DATA_DIR: dataDir,
        HUITONG_BACKUP_DIR: dir,
        // Two seconds, so that the test sees several intervals.
        HUITONG_BACKUP_INTERVAL_HOURS: String(2 / 3600),
        HUITONG_BACKUP_KEEP: '2',
      },
      180_000,
    );
    const seen = new Set<string>();
    await until(
      'four scheduled archives written',
      () => {
        for (const name of readdirSync(dir)) if (name.endsWith('.tar.gz')) seen.add(name);
        return seen.size >= 4;
      },
      { timeoutMs: 180_000, everyMs: 200 },
    );
    const oldest = [...seen].sort()[0]!;
    await until('the oldest pruned', () => !readdirSync(dir).includes(oldest), { timeoutMs: 60_000 });
    // Retention runs after each write: never more than KEEP, plus the one just written.
    expect(readdirSync(dir).filter((n) => n.endsWith('.tar.gz')).length).toBeLessThanOrEqual(3);
    await server.stop();
    // Each is in the log, which verifies.
    const exported = await huitong(['audit', 'export'], { HUITONG_DATA_DIR: dataDir });
    expect(exported.code, exported.stderr).toBe(0);
    const logged = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.kind === 'entry' && l.entry.type === 'backup.created' && l.entry.data.scheduled);
    expect(logged.length).toBeGreaterThanOrEqual(seen.size);
    const verified = await huitong(['audit', 'verify'], { HUITONG_DATA_DIR: dataDir });
    expect(verified.code, verified.stdout).toBe(0);
  }, 400_000);
});

describe('a half-restored data directory', () => {
  it('keeps huitong serve from starting', async () => {
    const dataDir = temp('bkcli-half');
    writeFileSync(join(dataDir, RESTORE_MARKER), 'began\n');
    await expect(startServer({ HUITONG_DATA_DIR: dataDir }, 120_000)).rejects.toThrow(
      /began and did not finish/,
    );
  }, 180_000);
});
