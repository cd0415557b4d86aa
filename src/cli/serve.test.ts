import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ServerProcess, startServer } from '../../test/multiprocess/server-process.js';
import { huitongCommand } from '../../test/support/cli-bundle.js';
import { until } from '../../test/support/poll.js';

const run = promisify(execFile);
const PASSWORD = 'auditor password 1';

/** Runs the CLI (the test run's bundle of src/cli/main.ts); resolves with exit code and output, never rejects. */
async function huitong(args: string[], env: Record<string, string>) {
  const cli = huitongCommand();
  try {
    const { stdout, stderr } = await run(cli.command, [...cli.args, ...args], {
      env: { ...process.env, HUITONG_LOG_LEVEL: 'silent', ...env },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout: string; stderr: string };
    return { code: e.code ?? 1, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each CLI run starts a Node process that loads the whole platform: seconds apiece on a busy two-core machine.
vi.setConfig({ testTimeout: 180_000 });

describe('`huitong serve` and the CLI beside it (embedded database)', () => {
  let server: ServerProcess;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'huitong-serve-'));
    // Info level, as an operator runs it: requests must still not be logged unless asked.
    const { HUITONG_DATABASE_URL: _shared, ...inherited } = process.env;
    env = { ...(inherited as Record<string, string>), HUITONG_DATA_DIR: dataDir, HUITONG_LOG_LEVEL: 'info' };
    server = await startServer(env, 120_000);
    await until(
      'the banner',
      () => server.output().includes('─\n') && server.output().split('─'.repeat(72)).length > 2,
    );

    // An auditor, made through the API by the first administrator (whose password the banner shows).
    const password = /password: (\S+)/.exec(server.output())![1]!;
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    const { csrfToken, user } = (await login.json()) as { csrfToken: string; user: { orgId: string } };
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('ht_session='))!
      .split(';')[0]!;
    const created = await fetch(`${server.url}/api/v1/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({
        orgId: user.orgId,
        username: 'cli.auditor',
        displayName: '审计员',
        password: PASSWORD,
        roles: ['auditor'],
        mustChangePassword: false,
      }),
    });
    expect(created.status, await created.text()).toBe(201);
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a start-up banner with the address, database, demo, logs and the one-time password', () => {
    const banner = server.output().split('─'.repeat(72))[1]!;
    expect(banner).toContain(`is serving on ${server.url}`);
    expect(banner).toContain(`API docs:  ${server.url}/api/docs`);
    expect(banner).toContain(`database:  PGlite (embedded) in ${dataDir}`);
    expect(banner).toMatch(/demo: +not loaded \(HUITONG_DEMO=0/);
    expect(banner).toContain('requests not logged (HUITONG_LOG_REQUESTS=1');
    expect(banner).toMatch(/shown only here, once[\s\S]*username: admin\n {2}password: \S{16}/);
  });

  it('logs no request lines at info level unless asked', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(server.output()).not.toMatch(/incoming request|request completed/);
  });

  it('reports the demo as off in /api/health when HUITONG_DEMO=0', async () => {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { demo: string };
    expect(health.demo).toBe('off');
  });

  it('verifies and exports the audit log through the running server, and names that way when the store is held', async () => {
    const held = await huitong(['audit', 'verify'], { HUITONG_DATA_DIR: dataDir, HUITONG_PORT: '9123' });
    expect(held.code).toBe(1);
    expect(held.stderr).toMatch(/^huitong: error: The embedded database .* is in use by process \d+/);
    expect(held.stderr).toContain('--url http://127.0.0.1:9123 --user <auditor>');
    expect(held.stderr).toContain('/api/v1/audit/export.ndjson');

    const cli = { HUITONG_DATA_DIR: dataDir, HUITONG_PASSWORD: PASSWORD };
    const verified = await huitong(['audit', 'verify', '--url', server.url, '--user', 'cli.auditor'], cli);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^log verified: \d+ entries, root \S+, \d+ checkpoints consistent/);

    const out = join(dataDir, 'export.ndjson');
    const exported = await huitong(
      ['audit', 'export', '--url', server.url, '--user', 'cli.auditor', '--out', out],
      cli,
    );
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();

    const wrong = await huitong(['audit', 'verify', '--url', server.url, '--user', 'cli.auditor'], {
      ...cli,
      HUITONG_PASSWORD: 'not the password',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/signing in as cli.auditor failed: HTTP 401/);
  });
});
