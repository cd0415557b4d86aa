import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminPassword, PEOPLE_COUNT, type SeededPlatform, seedPlatform } from '../multiprocess/platform.js';
import {
  call,
  type ServerProcess,
  type StalledDownload,
  stalledDownload,
  startServer,
} from '../multiprocess/server-process.js';
import { until } from '../support/poll.js';
import { serviceAvailable } from '../support/services.js';
import { postgresPeople } from '../support/source-data.js';

// SIGTERM with a slow client: /api/health/ready answers 503 at once (load balancers take the
// process out) while it still serves for HUITONG_SHUTDOWN_DELAY_SECONDS; then a CSV export whose
// client stopped reading holds the server only for HUITONG_SHUTDOWN_GRACE_SECONDS; then the stream
// is cut, its release gets a `cut` completion, the log is closed cleanly and the process exits 0.
// A second SIGTERM does not wait for the grace. Restarted on the same data directory, the log
// verifies and says so.

const postgresUp = await serviceAvailable('postgres');
const GRACE_SECONDS = 2;
const DELAY_SECONDS = 3;

/** Sends SIGTERM (twice when `twice`, the second once the first drain began) and waits for the exit. */
async function terminate(server: ServerProcess, twice = false) {
  const sent = Date.now();
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  server.child.kill('SIGTERM');
  if (twice) {
    // The drain began once the listener is closed (no delay is configured for this case).
    await until('the listener closed', () =>
      fetch(`${server.url}/api/health`).then(
        () => false,
        () => true,
      ),
    );
    server.child.kill('SIGTERM');
  }
  const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 40_000))]);
  if (code === 'hung') throw new Error(`SIGTERM did not end the server: ${server.output().slice(-2000)}`);
  return { code, afterMs: Date.now() - sent };
}

describe.skipIf(!postgresUp)('SIGTERM while a slow client downloads', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huitong-shutdown-'));
  let people: Awaited<ReturnType<typeof postgresPeople>>;
  let server: ServerProcess;
  let platform: SeededPlatform;
  let stalled: StalledDownload;
  let exit: { code: number | null; afterMs: number };
  let draining: { ready: number; checks: unknown; health: number; rows: number };
  let forced: { stalled: StalledDownload; exit: { code: number | null; afterMs: number } };

  beforeAll(async () => {
    people = await postgresPeople(PEOPLE_COUNT);
    await people.client.query(
      `INSERT INTO ${people.schema}.people SELECT '人' || i, 'X' || i, NULL, NULL, NULL, '350102' FROM generate_series(1, 500000) i`,
    );
    const env = {
      HUITONG_DATA_DIR: dataDir,
      HUITONG_SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS),
      HUITONG_SHUTDOWN_DELAY_SECONDS: String(DELAY_SECONDS),
    };
    server = await startServer(env);
    platform = await seedPlatform(server.url, adminPassword(server.output()), people.schema);
    const rowsPath = `/api/v1/resources/${platform.resource}/rows?format=csv`;
    stalled = await stalledDownload(server.url, rowsPath, platform.consumerKey.headers);
    const exiting = terminate(server);
    // During the delay: not ready (for the balancer), yet alive and still serving data.
    const notReady = await until('ready answers 503 once SIGTERM arrived', async () => {
      const response = await fetch(`${server.url}/api/health/ready`);
      return response.status === 503
        ? { ready: response.status, checks: ((await response.json()) as { checks: unknown }).checks }
        : undefined;
    });
    const health = (await fetch(`${server.url}/api/health`)).status;
    const rows = (
      await call(
        server.url,
        platform.consumerKey,
        'GET',
        `/api/v1/resources/${platform.resource}/rows?limit=1`,
      )
    ).status;
    draining = { ...notReady, health, rows };
    exit = await exiting;
    stalled.destroy();

    // A second SIGTERM cuts at once: a grace of two minutes is not waited for.
    server = await startServer({
      ...env,
      HUITONG_SHUTDOWN_GRACE_SECONDS: '120',
      HUITONG_SHUTDOWN_DELAY_SECONDS: '0',
    });
    const second = await stalledDownload(server.url, rowsPath, platform.consumerKey.headers);
    forced = { stalled: second, exit: await terminate(server, true) };
    second.destroy();
    server = await startServer(env);
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await people?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 soon after the grace, without waiting for the slow client', async () => {
    expect(stalled.status).toBe(200);
    expect(exit.code).toBe(0);
    expect(exit.afterMs).toBeGreaterThanOrEqual(GRACE_SECONDS * 1000 - 100);
    expect(exit.afterMs).toBeLessThan(GRACE_SECONDS * 1000 + 15_000);
    expect(await stalled.done).toEqual({ complete: false });
  });

  it('answers 503 on /api/health/ready during the drain, naming it, while it still lives and serves', () => {
    expect(draining).toEqual({
      ready: 503,
      checks: { server: 'draining', store: 'ok', audit: 'ok', sandbox: 'ok' },
      health: 200,
      rows: 200,
    });
    // The delay, then the grace: both waited for.
    expect(exit.afterMs).toBeGreaterThanOrEqual((DELAY_SECONDS + GRACE_SECONDS) * 1000 - 100);
  });

  it('exits 0 on a second SIGTERM without waiting for the grace', async () => {
    expect(forced.stalled.status).toBe(200);
    expect(forced.exit.code).toBe(0);
    expect(forced.exit.afterMs).toBeLessThan(60_000);
    expect(await forced.stalled.done).toEqual({ complete: false });
  });

  it('records the cut stream with a cut completion entry, and the log verifies', async () => {
    const exported = await fetch(`${server.url}/api/v1/audit/export.ndjson`, {
      headers: platform.auditor.headers,
    });
    const entries = (await exported.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((l) => l.kind === 'entry')
      .map((l) => l.entry);
    for (const download of [stalled, forced.stalled]) {
      const start = entries.find(
        (e) => e.type === 'data.release.start' && e.requestId === download.requestId,
      );
      expect(start, `no start entry for ${download.requestId}`).toBeDefined();
      const completions = entries.filter((e) => e.ref === start.index);
      expect(completions.map((c) => c.data.status)).toEqual(['cut']);
    }
    const verified = await call(server.url, platform.auditor, 'POST', '/api/v1/audit/verify', {});
    expect(verified.json.ok, JSON.stringify(verified.json.report)).toBe(true);
  });
});
