import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { huitongCommand } from '../../../test/support/cli-bundle.js';
import { buildSharingOrgs, TEST_PASSWORD } from '../../../test/support/factories.js';
import { openTestServer, type TestServer } from '../../../test/support/http.js';
import { WarningEngine } from '../../warning/index.js';

const run = promisify(execFile);

// `huitong warning …` against a running server: the security officer lists the alert that failed
// logins raised, resolves it with a note, and sees it leave the open list; a wrong password and a
// reader who may not change alerts get one clear line and a non-zero exit.
describe('huitong warning', { timeout: 300_000 }, () => {
  let server: TestServer;
  let url: string;
  let officer: string;
  let analyst: string;
  let alertId: string;

  const huitong = async (args: string[], user = officer, password = TEST_PASSWORD) => {
    const cli = huitongCommand();
    try {
      const { stdout, stderr } = await run(
        cli.command,
        [...cli.args, 'warning', ...args, '--url', url, '--user', user],
        {
          env: { ...process.env, HUITONG_LOG_LEVEL: 'silent', HUITONG_PASSWORD: password },
          timeout: 120_000,
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout: string; stderr: string };
      return { code: e.code ?? 1, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    server = await openTestServer('pglite');
    const world = await buildSharingOrgs(server.store.db);
    officer = world.provider.users.security_officer.username;
    analyst = world.consumer.users.analyst.username;
    for (let i = 0; i < 10; i++)
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '203.0.113.9',
        payload: { username: `nobody-${i}`, password: 'wrong password' },
      });
    const { alerts } = await new WarningEngine(server.store.db).evaluate();
    alertId = alerts.find((a) => a.subject === 'address:203.0.113.9')!.id;
    url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  }, 120_000);
  afterAll(() => server?.close());

  it('lists, shows and resolves an alert, which then leaves the open list', async () => {
    const open = await huitong(['alerts', '--status', 'open']);
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout).toMatch(new RegExp(`^${alertId}\\s+high\\s+open\\s+1\\s.*brute_force`, 'm'));
    const shown = await huitong(['show', alertId]);
    expect(shown.stdout).toMatch(/entries:\s+#\d+ #\d+/);
    const resolved = await huitong(['resolve', alertId, '--note', '外部扫描，已封禁来源地址']);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toMatch(new RegExp(`^${alertId}\\s+high\\s+resolved`, 'm'));
    const after = await huitong(['alerts', '--status', 'open', '--json']);
    expect(JSON.parse(after.stdout).map((a: { id: string }) => a.id)).not.toContain(alertId);
    const logged = (await server.audit.entries({ type: 'warning.alert_resolved' }, { limit: 10 })).items.at(
      -1,
    );
    expect(logged?.data).toMatchObject({ alertId, note: '外部扫描，已封禁来源地址' });
  });

  it('says in one line why it cannot: a wrong password, a reader who may not act', async () => {
    const wrong = await huitong(['alerts'], officer, 'not the password');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/^huitong: error: signing in as .* failed: HTTP 401/m);
    const refused = await huitong(['acknowledge', alertId], analyst);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(
      /^huitong: error: POST \/api\/v1\/warning\/alerts\/[^:]+: HTTP 403 forbidden/m,
    );
  });
});
