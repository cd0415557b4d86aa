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
import { serviceAvailable } from '../support/services.js';
import { postgresPeople } from '../support/source-data.js';

// SIGTERM with a slow client: a CSV export whose client stopped reading holds the server only for
// HUITONG_SHUTDOWN_GRACE_SECONDS; then the stream is cut, its release gets a `cut` completion, the
// log is closed cleanly and the process exits 0. Restarted on the same data directory, the log
// verifies and says so.

const postgresUp = await serviceAvailable('postgres');
const GRACE_SECONDS = 2;

describe.skipIf(!postgresUp)('SIGTERM while a slow client downloads', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huitong-shutdown-'));
  let people: Awaited<ReturnType<typeof postgresPeople>>;
  let server: ServerProcess;
  let platform: SeededPlatform;
  let stalled: StalledDownload;
  let exit: { code: number | null; afterMs: number };

  beforeAll(async () => {
    people = await postgresPeople(PEOPLE_COUNT);
    await people.client.query(
      `INSERT INTO ${people.schema}.people SELECT '人' || i, 'X' || i, NULL, NULL, NULL, '350102' FROM generate_series(1, 500000) i`,
    );
    const env = { HUITONG_DATA_DIR: dataDir, HUITONG_SHUTDOWN_GRACE_SECONDS: String(GRACE_SECONDS) };
    server = await startServer(env);
    platform = await seedPlatform(server.url, adminPassword(server.output()), people.schema);
    stalled = await stalledDownload(
      server.url,
      `/api/v1/resources/${platform.resource}/rows?format=csv`,
      platform.consumerKey.headers,
    );
    const sent = Date.now();
    const exited = new Promise<number | null>((resolve) =>
      server.child.once('exit', (code) => resolve(code)),
    );
    server.child.kill('SIGTERM');
    // Bounded by the grace, the cut and the log's close, far below the test's own timeout.
    const code = await Promise.race([
      exited,
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), 40_000)),
    ]);
    if (code === 'hung') throw new Error(`SIGTERM did not end the server: ${server.output().slice(-2000)}`);
    exit = { code, afterMs: Date.now() - sent };
    stalled.destroy();
    server = await startServer(env);
  }, 180_000);

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
    const start = entries.find((e) => e.type === 'data.release.start' && e.requestId === stalled.requestId);
    expect(start, `no start entry for ${stalled.requestId}`).toBeDefined();
    const completions = entries.filter((e) => e.ref === start.index);
    expect(completions.map((c) => c.data.status)).toEqual(['cut']);
    const verified = await call(server.url, platform.auditor, 'POST', '/api/v1/audit/verify', {});
    expect(verified.json.ok, JSON.stringify(verified.json.report)).toBe(true);
  });
});
