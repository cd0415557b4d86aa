import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { huitongCommand } from '../../test/support/cli-bundle.js';
import { resourceInput } from '../../test/support/factories.js';
import { SERVICES, serviceAvailable } from '../../test/support/services.js';

const run = promisify(execFile);

/** Runs the CLI (the test run's bundle of src/cli/main.ts); resolves with exit code and output, never rejects. */
async function huitong(args: string[], env: Record<string, string>) {
  const cli = huitongCommand();
  try {
    const { stdout, stderr } = await run(cli.command, [...cli.args, ...args], {
      env: { ...process.env, HUITONG_LOG_LEVEL: 'silent', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    return { code: e.code ?? 1, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each case starts a Node process that loads the whole platform: seconds apiece on a busy two-core machine.
vi.setConfig({ testTimeout: 120_000 });

describe('huitong CLI', () => {
  it('prints help for every command', async () => {
    const commands = [
      ['--help'],
      ['org', 'create', '--help'],
      ['key', 'revoke', '--help'],
      ['audit', 'verify', '--help'],
    ];
    // One at a time: four starts at once on two busy cores (under tsx then) passed huitong()'s 60 s
    // kill timeout (62 s measured under load 40); each alone took 6–20 s there.
    for (const args of commands) {
      const result = await huitong(args, {});
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toContain('Usage: huitong');
    }
  }, 240_000);

  it('refuses to open an embedded database that a running server holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huitong-cli-'));
    try {
      writeFileSync(join(dir, 'huitong.lock'), String(process.pid));
      const result = await huitong(['migrate'], { HUITONG_DATA_DIR: dir });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/^huitong: error: The embedded database .* is in use by process/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const postgresUp = await serviceAvailable('postgres');

describe.skipIf(!postgresUp)('huitong CLI on a PostgreSQL server', () => {
  const database = `huitong_cli_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'huitong-cli-'));
  const env = {
    HUITONG_DATABASE_URL: SERVICES.postgres.url.replace(/\/test$/, `/${database}`),
    HUITONG_DATA_DIR: dataDir,
  };
  const admin = new pg.Client({ connectionString: SERVICES.postgres.url });
  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates, then says the store is up to date', async () => {
    const first = await huitong(['migrate'], env);
    expect(first.stdout).toContain('applied 0001-identity');
    const second = await huitong(['migrate'], env);
    expect(second.stdout).toContain('up to date');
  });

  it('creates an organisation, a user and a key, and revokes the key', async () => {
    const org = await huitong(
      [
        'org',
        'create',
        '--name',
        '福建省大数据局',
        '--kind',
        'department',
        '--level',
        'provincial',
        '--region',
        '350000',
      ],
      env,
    );
    expect(org.code).toBe(0);
    expect(org.stdout).toContain('created organisation 福建省大数据局');
    const user = await huitong(
      ['user', 'create', '--org', '福建省大数据局', '--username', 'steward1', '--roles', 'data_steward'],
      env,
    );
    expect(user.code).toBe(0);
    expect(user.stdout).toMatch(
      /password \(shown once\): \S{10,}\nthe user must change it at the first sign-in/,
    );
    const key = await huitong(['key', 'create', '--org', '福建省大数据局', '--app', '审批系统'], env);
    expect(key.code).toBe(0);
    const plain = /key \(shown once\): (ht_\S+)/.exec(key.stdout)![1]!;
    const revoked = await huitong(['key', 'revoke', plain.slice(0, 16)], env);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('revoked key');
  });

  it('logs the resources a steward creates and publishes from the command line', async () => {
    const file = join(env.HUITONG_DATA_DIR, 'resource.json');
    writeFileSync(file, JSON.stringify(resourceInput({ name: '命令行待审资源' })));
    // Where catalog review is required (the default) the publication waits for the reviewer.
    const held = await huitong(['resource', 'create', '--as', 'steward1', '--file', file, '--publish'], env);
    expect(held.code, held.stderr).toBe(0);
    expect(held.stdout).toMatch(/submitted for catalog review \(change [0-9a-f-]{36}\)/);
    writeFileSync(file, JSON.stringify(resourceInput({ name: '命令行资源' })));
    const created = await huitong(['resource', 'create', '--as', 'steward1', '--file', file, '--publish'], {
      ...env,
      HUITONG_CATALOG_REVIEW: 'off',
    });
    expect(created.code, created.stderr).toBe(0);
    const code = /published (\S+)\tpublished/.exec(created.stdout)?.[1];
    expect(code, created.stdout).toBeDefined();
    const exported = join(env.HUITONG_DATA_DIR, 'after-resource.ndjson');
    expect((await huitong(['audit', 'export', '--out', exported], env)).code).toBe(0);
    const entries = readFileSync(exported, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((line) => line.kind === 'entry' && line.entry.resources?.includes(code))
      .map((line) => line.entry);
    expect(entries.map((e) => e.type)).toEqual(['resource.created', 'resource.published']);
    expect(entries[1].actor.kind).toBe('user');
    expect(entries[1].data).toMatchObject({ via: 'cli', status: 'published', sharingType: 'unconditional' });
  });

  it('fails with one clear line and a non-zero exit on bad input', async () => {
    const badRegion = await huitong(
      ['org', 'create', '--name', 'x', '--kind', 'department', '--level', 'provincial', '--region', '999999'],
      env,
    );
    expect(badRegion.code).toBe(1);
    expect(badRegion.stderr).toMatch(
      /^huitong: error: 999999 is not a GB\/T 2260 division code \(invalid_region_code\)\n$/,
    );
    const badKind = await huitong(
      ['org', 'create', '--name', 'x', '--kind', 'club', '--level', 'provincial', '--region', '350000'],
      env,
    );
    expect(badKind.code).toBe(1);
    expect(badKind.stderr).toMatch(/^huitong: error: kind: /);
    const unknownOrg = await huitong(
      ['user', 'create', '--org', '没有这个单位', '--username', 'abc', '--roles', 'analyst'],
      env,
    );
    expect(unknownOrg.stderr).toBe('huitong: error: No organisation named "没有这个单位"\n');
    const missing = await huitong(['org', 'create'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("required option '--name <name>' not specified");
  });

  it('verifies the audit log live and from an export, and names the first tampered entry', async () => {
    const live = await huitong(['audit', 'verify'], env);
    expect(live.code).toBe(0);
    expect(live.stdout).toMatch(/^log verified: \d+ entries/);
    const file = join(dataDir, 'export.ndjson');
    expect((await huitong(['audit', 'export', '--out', file], env)).code).toBe(0);
    const offline = await huitong(['audit', 'verify', '--file', file], env);
    expect(offline.stdout).toMatch(/^log verified/);

    const db = new pg.Client({ connectionString: env.HUITONG_DATABASE_URL });
    await db.connect();
    try {
      await db.query(
        `UPDATE audit_entries SET entry = overlay(entry placing '\\x20'::bytea from 5 for 1) WHERE idx = 1`,
      );
    } finally {
      await db.end();
    }
    const tampered = await huitong(['audit', 'verify'], env);
    expect(tampered.code).toBe(2);
    expect(tampered.stdout).toMatch(/^LOG FAILED VERIFICATION at index 1:/);
    const stillGood = await huitong(['audit', 'verify', '--file', file], env);
    expect(stillGood.code).toBe(0);
  });
});
