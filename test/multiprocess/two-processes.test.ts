import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, serviceAvailable } from '../support/services.js';
import { postgresPeople } from '../support/source-data.js';
import { adminPassword, PEOPLE_COUNT, type SeededPlatform, seedPlatform } from './platform.js';
import { call, type ServerProcess, startServer } from './server-process.js';

// Two API processes over one PostgreSQL database and one data directory (the audit and secret
// keys), called round-robin: a revocation through one stops reads through the other within a
// second (invariant 2), and concurrent audited writes through both leave one linear audit history.

const postgresUp = await serviceAvailable('postgres');

/**
 * Calls `read` every `everyMs` for up to a second (and a little slack for a slow machine's clock)
 * until it answers `status`: that answer and how long it took, or undefined.
 */
async function refusedWithinASecond(read: () => ReturnType<typeof call>, status: number, everyMs: number) {
  const since = Date.now();
  while (Date.now() - since <= 1_000) {
    const response = await read();
    if (response.status === status) return { after: Date.now() - since, json: response.json };
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return undefined;
}

describe.skipIf(!postgresUp)('two API processes, one PostgreSQL', () => {
  const database = `ht_mp_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'huitong-mp-'));
  const admin = new pg.Client({ connectionString: SERVICES.postgres.url });
  let people: Awaited<ReturnType<typeof postgresPeople>>;
  let a: ServerProcess;
  let b: ServerProcess;
  let platform: SeededPlatform;
  let turn = 0;
  /** The round-robin client: each call goes to the next process. */
  const next = () => [a, b][turn++ % 2]!.url;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    people = await postgresPeople(PEOPLE_COUNT);
    const env = {
      HUITONG_DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
      HUITONG_DATA_DIR: dataDir,
      // The audit test mints 20 keys on one application, beyond the default cap of 5 live keys.
      HUITONG_MAX_KEYS_PER_APPLICATION: '100',
    };
    // The first start creates the keys and the administrator; the second process finds them.
    a = await startServer(env);
    b = await startServer(env);
    platform = await seedPlatform(a.url, adminPassword(a.output()), people.schema);
  }, 180_000);

  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await people?.drop();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the same platform from both processes', async () => {
    for (const url of [a.url, b.url]) {
      const response = await call(
        url,
        platform.consumerKey,
        'GET',
        `/api/v1/resources/${platform.resource}/rows`,
      );
      expect(response.status, JSON.stringify(response.json)).toBe(200);
      expect(response.json.rows.length).toBeGreaterThan(0);
    }
  });

  it('stops reads on the other process within one second of a revocation', async () => {
    for (const [via, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const { resource, grantId } = await platform.grantAnother();
      const read = () =>
        call(other.url, platform.consumerKey, 'GET', `/api/v1/resources/${resource}/rows?limit=1`);
      expect((await read()).status).toBe(200);
      const revoked = await call(via.url, platform.steward, 'POST', `/api/v1/grants/${grantId}/revoke`, {
        reason: '测试',
      });
      expect(revoked.status, JSON.stringify(revoked.json)).toBe(200);
      const refused = await refusedWithinASecond(read, 403, 100);
      expect(refused, 'the other process still served the revoked grant after 1 s').toBeDefined();
      expect(refused!.json.error.code).toBe('grant_revoked');
      expect(refused!.after).toBeLessThanOrEqual(1_000);
    }
  }, 60_000);

  it('refuses a revoked API key on the other process within one second', async () => {
    const created = await call(
      a.url,
      platform.analyst,
      'POST',
      `/api/v1/applications/${platform.applicationId}/keys`,
      {
        name: 'revoked-across',
      },
    );
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const key = { headers: { authorization: `Bearer ${created.json.key}` } };
    const read = () => call(b.url, key, 'GET', `/api/v1/resources/${platform.resource}/rows?limit=1`);
    // Read through B first, so that B holds the key in its read cache when A revokes it.
    expect((await read()).status).toBe(200);
    const revoked = await call(
      a.url,
      platform.analyst,
      'POST',
      `/api/v1/applications/${platform.applicationId}/keys/${created.json.apiKey.id}/revoke`,
    );
    expect(revoked.status, JSON.stringify(revoked.json)).toBe(200);
    const refused = await refusedWithinASecond(read, 401, 50);
    expect(refused, 'the other process still accepted the revoked key after 1 s').toBeDefined();
    expect(refused!.json.error.code).toBe('api_key_revoked');
  }, 60_000);

  it('spends a statistics grant’s ε budget atomically across both processes', async () => {
    const { resource } = await platform.grantAnother(undefined, {
      use: 'statistics',
      terms: { mayExport: false, privacyBudget: { epsilonPerDay: 2, epsilonTotal: 2 } },
    });
    // Twelve answers of ε 0.5 asked at once, alternately of each process, against a budget of 2.
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call([a, b][i % 2]!.url, platform.consumerKey, 'POST', `/api/v1/resources/${resource}/statistics`, {
          measures: [{ fn: 'count' }],
          epsilon: 0.5,
        }),
      ),
    );
    const statuses = answers.map((x) => x.status).sort();
    expect(statuses, JSON.stringify(answers.map((x) => x.json))).toEqual([
      ...Array(4).fill(200),
      ...Array(8).fill(429),
    ]);
    for (const refused of answers.filter((x) => x.status === 429))
      expect(refused.json.error).toMatchObject({
        code: 'privacy_budget_exhausted',
        details: { remainingToday: 0, remainingTotal: 0 },
      });
  }, 60_000);

  it('keeps one linear audit history under concurrent audited writes through both', async () => {
    const writes = Array.from({ length: 60 }, (_, i) => {
      const url = next();
      if (i % 3 === 0)
        return call(url, platform.consumerKey, 'GET', `/api/v1/resources/${platform.resource}/rows?limit=2`);
      if (i % 3 === 1)
        return call(url, platform.analyst, 'POST', `/api/v1/applications/${platform.applicationId}/keys`, {
          name: `k${i}`,
        });
      return call(url, platform.consumerKey, 'POST', '/api/v1/query', {
        sql: `SELECT count(*) AS n FROM "${platform.resource}"`,
      });
    });
    const answers = await Promise.all(writes);
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.json)).toBeLessThan(300);
    // Both processes recompute the same tree: one history, not one per process.
    const sizes: number[] = [];
    for (const url of [a.url, b.url]) {
      const verified = await call(url, platform.auditor, 'POST', '/api/v1/audit/verify', {});
      expect(verified.status, JSON.stringify(verified.json)).toBe(200);
      expect(verified.json.ok, JSON.stringify(verified.json.report)).toBe(true);
      sizes.push(verified.json.report.treeSize);
    }
    expect(sizes[0]).toBe(sizes[1]);
    // Every answer's request id has its entry, each entry has one index, and the indices leave no gap.
    const exported = await fetch(`${a.url}/api/v1/audit/export.ndjson`, {
      headers: platform.auditor.headers,
    });
    const lines = (await exported.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const entries = lines.filter((l) => l.kind === 'entry');
    const indices = entries.map((e) => e.index as number).sort((x, y) => x - y);
    expect(indices).toEqual(indices.map((_, i) => i));
    const logged = new Set(entries.map((e) => e.entry.requestId));
    const missing = answers.map((x) => x.requestId).filter((id) => !logged.has(id));
    expect(missing, 'answers without their audit entry').toEqual([]);
    const late = entries
      .filter((e) => e.index >= sizes[0]!)
      .map((e) => `${e.index} ${e.entry.type} ${e.entry.requestId} ${e.entry.time}`);
    expect(late, 'entries appended after both verifications').toEqual([]);
  }, 120_000);
});
