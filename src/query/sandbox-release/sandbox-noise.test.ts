import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../test/support/http.js';
import { expectRefusal } from '../../../test/support/refusals.js';
import { SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { makeIdNumber } from '../../../test/support/source-data.js';
import { describeEachStore } from '../../../test/support/store.js';
import type { CreateResourceInput } from '../../catalog/index.js';
import { createSource } from '../../sources/index.js';

// 可用不可见 with differential privacy: a sandbox grant whose answers are noised. 240 低保 recipients
// in a PostgreSQL source, 20 in each of 12 districts (so that every district passes k = 10); in
// 区0 one man only. Names and ID numbers are canaries: no answer may carry one.
const DISTRICTS = Array.from({ length: 12 }, (_, d) => `区${d}`);
const PEOPLE = Array.from({ length: 240 }, (_, i) => ({
  xm: `加噪户${String(i).padStart(3, '0')}`,
  sfzh: makeIdNumber('350102', '19700101', i + 1),
  qh: DISTRICTS[Math.floor(i / 20)]!,
  xb: i < 20 ? (i === 5 ? '男' : '女') : i % 2 ? '男' : '女',
  je: 300 + ((i * 37) % 500),
  bt: (i * 13) % 90,
}));
const ITEMS: NonNullable<CreateResourceInput['items']> = [
  { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
  { name: '身份证号', field: 'sfzh', dataType: 'string', personal: true, personalKind: 'identity_document' },
  { name: '区划', field: 'qh', dataType: 'string' },
  { name: '性别', field: 'xb', dataType: 'string', personal: true, personalKind: 'basic' },
  { name: '保障金额', field: 'je', dataType: 'number', bounds: { lower: 0, upper: 1000 } },
  // No declared value range: its SUM cannot be noised.
  { name: '补贴', field: 'bt', dataType: 'number' },
  // The same amounts, declared within [0, 1]: each counts as 1 once clamped.
  { name: '达标', field: 'cap', dataType: 'number', bounds: { lower: 0, upper: 1 } },
];
const NAMES = ITEMS.map((i) => i.name);
const exactCount = (qh: string) => PEOPLE.filter((p) => p.qh === qh).length;
const exactSum = (qh: string) => PEOPLE.filter((p) => p.qh === qh).reduce((s, p) => s + p.je, 0);

const servicesUp = await serviceAvailable('postgres');

describe.skipIf(!servicesUp)('可用不可见 with noise: a sandbox grant whose answers are noised', () => {
  describeEachStore('sandbox noise', (kind) => {
    let server: TestServer;
    let client: pg.Client;
    let schema: string;
    let code: string;
    let steward: Credentials;

    const call = (as: Credentials, method: string, url: string, payload?: unknown) =>
      server.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as object });
    const noCanary = (body: string) => {
      for (const p of PEOPLE) {
        expect(body).not.toContain(p.xm);
        expect(body).not.toContain(p.sfzh);
      }
    };

    /** A consumer's application with a pending sandbox request on the resource. */
    async function request(use = 'sandbox') {
      const db = server.store.db;
      const org = await buildOrganization(db);
      const analyst = await loginAs(
        server.app,
        (await buildUser(db, { orgId: org.id, roles: ['analyst'] })).username,
        TEST_PASSWORD,
      );
      const app = await buildApiKey(db, org.id);
      const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
        applicationId: app.application.id,
        resourceCode: code,
        items: NAMES,
        purpose: '低保资金分布分析',
        legalBasis: '《社会救助暂行办法》',
        use,
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      });
      expect(requested.statusCode, requested.body).toBe(201);
      const approve = (terms: Record<string, unknown>) =>
        call(steward, 'POST', `/api/v1/access-requests/${requested.json().id}/approve`, {
          items: NAMES.map((name) => ({ name, mask: { kind: 'none' } })),
          ...terms,
        });
      return { id: requested.json().id as string, approve, key: bearer(app.key), analyst };
    }

    /** A key holding a sandbox grant approved with `terms` (unmasked items). */
    async function holder(terms: Record<string, unknown>) {
      const pending = await request();
      const approved = await pending.approve(terms);
      expect(approved.statusCode, approved.body).toBe(200);
      const grant = approved.json().grant;
      const sql = (text: string) =>
        call(pending.key, 'POST', '/api/v1/query', { sql: text, aliases: { t: code } });
      const budget = async () =>
        (await call(steward, 'GET', `/api/v1/grants/${grant.id}/privacy-budget`)).json();
      return { grant, sql, budget, key: pending.key, analyst: pending.analyst };
    }

    beforeAll(async () => {
      server = await openTestServer(kind);
      const db = server.store.db;
      schema = `src_${randomBytes(5).toString('hex')}`;
      client = new pg.Client({ connectionString: SERVICES.postgres.url });
      await client.connect();
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(
        `CREATE TABLE ${schema}.dibao (xm text, sfzh text, qh text, xb text, je integer, bt integer, cap integer)`,
      );
      const values = PEOPLE.map((p) => `('${p.xm}','${p.sfzh}','${p.qh}','${p.xb}',${p.je},${p.bt},${p.je})`);
      await client.query(`INSERT INTO ${schema}.dibao VALUES ${values.join(',')}`);
      const civil = await buildOrganization(db, { name: `民政厅-${kind}-${schema}` });
      steward = await loginAs(
        server.app,
        (await buildUser(db, { orgId: civil.id, roles: ['data_steward'] })).username,
        TEST_PASSWORD,
      );
      const source = await createSource(db, server.sources, {
        kind: 'postgres',
        name: '低保库',
        host: SERVICES.postgres.host,
        port: SERVICES.postgres.port,
        user: 'postgres',
        database: 'test',
        tls: { mode: 'disable' },
        description: '',
        orgId: civil.id,
      });
      const resource = await buildResource(
        db,
        civil.id,
        {
          items: ITEMS,
          sharingType: 'conditional',
          sharingConditions: '用于统计分析',
          sharingMethods: ['api'],
        },
        { publish: true },
      );
      code = resource.code;
      const bound = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
        sourceId: source.id,
        from: { kind: 'table', schema, table: 'dibao' },
      });
      expect(bound.statusCode, bound.body).toBe(200);
    }, 120_000);

    afterAll(async () => {
      await server?.close();
      await client?.query(`DROP SCHEMA ${schema} CASCADE`);
      await client?.end();
    });

    it('sets the noise when approving: a finite ε in (0, 10], on sandbox requests only, with a default budget', async () => {
      const pending = await request();
      for (const epsilon of [0, -1, 0.001, 11, '0.5', null])
        expectRefusal(await pending.approve({ sandboxNoise: { epsilon } }), 'invalid_request');
      // JSON has no NaN nor ∞, but 1e999 parses as Infinity: refused like any other out-of-range ε.
      const infinite = await server.app.inject({
        method: 'POST',
        url: `/api/v1/access-requests/${pending.id}/approve`,
        headers: { ...steward.headers, 'content-type': 'application/json' },
        payload: '{"sandboxNoise": {"epsilon": 1e999}}',
      });
      expectRefusal(infinite, 'invalid_request');
      expect(infinite.body).toContain('sandboxNoise');
      // A budget without noise means nothing on a sandbox grant.
      expectRefusal(
        await pending.approve({ privacyBudget: { epsilonPerDay: 1, epsilonTotal: 2 } }),
        'budget_not_applicable',
      );
      const approved = await pending.approve({ sandboxNoise: { epsilon: 0.5 } });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json().grant).toMatchObject({
        use: 'sandbox',
        sandboxNoise: { epsilon: 0.5 },
        privacyBudget: { epsilonPerDay: 1, epsilonTotal: 10 },
      });
      expect(approved.json().request.terms.sandboxNoise).toEqual({ epsilon: 0.5 });
      // Noise belongs to the sandbox use.
      const statistics = await request('statistics');
      expectRefusal(await statistics.approve({ sandboxNoise: { epsilon: 0.5 } }), 'budget_not_applicable');
    });

    it('noises every released count, sum and avg, says with what ε and scale, and logs the ε spent', async () => {
      const { sql, budget, grant } = await holder({
        sandboxNoise: { epsilon: 0.5 },
        privacyBudget: { epsilonPerDay: 5, epsilonTotal: 20 },
      });
      const answer = await sql(
        'SELECT qh, count(*) AS n, sum(je) AS total, avg(je) AS mean FROM t GROUP BY qh ORDER BY qh',
      );
      expect(answer.statusCode, answer.body).toBe(200);
      const body = answer.json();
      expect(body.check).toMatchObject({ outcome: 'released', suppressedRows: 0 });
      expect(body.check.noise).toEqual({
        mechanism: 'discrete-laplace',
        epsilon: { perAggregate: 0.5, spent: 1.5, remainingToday: 3.5, remainingTotal: 18.5 },
        columns: [
          { name: 'n', aggregate: 'count', noiseStddev: 2.828, countNoiseStddev: null },
          // SUM's sensitivity is the range's larger end (1000): σ = √2 · 1000 / ε.
          { name: 'total', aggregate: 'sum', noiseStddev: 2828.427, countNoiseStddev: null },
          { name: 'mean', aggregate: 'avg', noiseStddev: 5656.854, countNoiseStddev: 5.657 },
        ],
      });
      expect(body.rows.map((r: { qh: string }) => r.qh)).toEqual([...DISTRICTS].sort());
      let exact = 0;
      for (const row of body.rows as { qh: string; n: number; total: number; mean: number }[]) {
        expect(Number.isInteger(row.n)).toBe(true);
        // ±60 is over 20 σ of a count's noise; the average is clamped to the value range.
        expect(Math.abs(row.n - exactCount(row.qh))).toBeLessThan(60);
        expect(row.mean).toBeGreaterThanOrEqual(0);
        expect(row.mean).toBeLessThanOrEqual(1000);
        if (row.n === exactCount(row.qh) && row.total === exactSum(row.qh)) exact++;
      }
      // A sum left exact has probability ≈ 2.5·10⁻⁴ per row: not all twelve.
      expect(exact).toBeLessThan(12);
      noCanary(answer.body);
      const requestId = String(answer.headers['x-request-id']);
      const entries = (await server.audit.entries({}, { limit: 1000 })).items.filter(
        (e) => e.requestId === requestId && e.type.startsWith('data.release'),
      );
      expect(entries.map((e) => e.type)).toEqual(['data.release.start', 'data.release.complete']);
      expect(entries[0]!.data).toMatchObject({ epsilonMicro: 1_500_000, grantId: grant.id });
      expect(await budget()).toMatchObject({ epsilonPerDay: 5, spentToday: 1.5, spentTotal: 1.5 });
      // The steward may lower a noised sandbox grant's budget, as a statistics grant's.
      const lowered = await call(steward, 'PUT', `/api/v1/grants/${grant.id}/privacy-budget`, {
        epsilonPerDay: 4,
        epsilonTotal: 19,
      });
      expect(lowered.statusCode, lowered.body).toBe(200);
      expect(lowered.json().privacyBudget).toEqual({ epsilonPerDay: 4, epsilonTotal: 19 });
      // Keys only: nothing to noise, nothing spent.
      const keys = await sql('SELECT qh FROM t GROUP BY qh');
      expect(keys.statusCode, keys.body).toBe(200);
      expect(keys.json().check.noise.epsilon).toMatchObject({ spent: 0, remainingTotal: 17.5 });
      // Values are clamped into the declared range before they are summed: each amount counts as 1.
      const clamped = await sql('SELECT qh, sum(cap) AS s, avg(cap) AS a FROM t GROUP BY qh');
      expect(clamped.json().check.noise.columns[0]).toMatchObject({ aggregate: 'sum', noiseStddev: 2.828 });
      for (const row of clamped.json().rows as { s: number; a: number }[]) {
        expect(Math.abs(row.s - 20)).toBeLessThan(60);
        expect(row.a).toBeGreaterThanOrEqual(0);
        expect(row.a).toBeLessThanOrEqual(1);
      }
      // Counting an identifying item is noised like any count.
      const people = await sql('SELECT count(DISTINCT sfzh) AS people FROM t');
      expect(people.json().check.noise.columns).toEqual([
        { name: 'people', aggregate: 'count', noiseStddev: 2.828, countNoiseStddev: null },
      ]);
    });

    it('centres its noise on the exact value: 60 noised counts average within 5σ/√60 of it', async () => {
      const { sql } = await holder({
        sandboxNoise: { epsilon: 0.5 },
        privacyBudget: { epsilonPerDay: 10, epsilonTotal: 10 },
      });
      const noise: number[] = [];
      for (let i = 0; i < 5; i++) {
        const answer = await sql('SELECT qh, count(*) AS n FROM t GROUP BY qh');
        expect(answer.statusCode, answer.body).toBe(200);
        for (const row of answer.json().rows) noise.push(row.n - exactCount(row.qh));
      }
      expect(noise).toHaveLength(60);
      // Discrete Laplace of scale 1/ε = 2: σ ≈ 2.83. A mean off by 5σ/√n has probability < 10⁻⁶.
      const mean = noise.reduce((s, x) => s + x, 0) / noise.length;
      expect(Math.abs(mean)).toBeLessThan((5 * 2.83) / Math.sqrt(noise.length));
      // Present: P(noise = 0) ≈ 0.245 per value, so 60 zeros have probability ≈ 10⁻³⁷.
      expect(noise.some((x) => x !== 0)).toBe(true);
      // And spread as the mechanism says (2e^−ε/(1 − e^−ε)² ≈ 7.8): below 1 or above 40 has probability < 10⁻⁶.
      const variance = noise.reduce((s, x) => s + (x - mean) ** 2, 0) / (noise.length - 1);
      expect(variance).toBeGreaterThan(1);
      expect(variance).toBeLessThan(40);
    });

    it('answers exactly, spending nothing, under a sandbox grant without noise', async () => {
      const { sql, budget, grant } = await holder({});
      expect(grant).toMatchObject({ sandboxNoise: null, privacyBudget: null });
      const answer = await sql(
        'SELECT qh, count(*) AS n, sum(je) AS total FROM t GROUP BY qh ORDER BY n, qh',
      );
      expect(answer.statusCode, answer.body).toBe(200);
      const rows = answer.json().rows as { qh: string; n: number; total: number }[];
      expect(rows).toHaveLength(12);
      for (const row of rows) expect(row).toEqual({ qh: row.qh, n: 20, total: exactSum(row.qh) });
      expect(answer.json().check).not.toHaveProperty('noise');
      expect(await budget()).toMatchObject({ epsilonPerDay: null, spentTotal: 0 });
      expectRefusal(
        await call(steward, 'PUT', `/api/v1/grants/${grant.id}/privacy-budget`, {
          epsilonPerDay: 1,
          epsilonTotal: 2,
        }),
        'budget_not_applicable',
      );
      // stddev and expressions over aggregates stay as they were.
      const spread = await sql('SELECT round(stddev(je), 2) AS s FROM t');
      expect(spread.statusCode, spread.body).toBe(200);
    });

    it('refuses what cannot be noised before reading anything: no bounds, stddev, expressions, reviewable shapes, ORDER BY a noised column', async () => {
      const { sql, budget } = await holder({ sandboxNoise: { epsilon: 0.5 } });
      const noBounds = await sql('SELECT qh, sum(bt) FROM t GROUP BY qh');
      expectRefusal(noBounds, 'item_not_aggregable');
      expect(noBounds.json().error.details).toEqual({ item: '补贴', reason: 'no_bounds' });
      const text = await sql('SELECT avg(qh) FROM t');
      expect(text.json().error.details).toMatchObject({ reason: 'not_numeric' });
      for (const text of [
        'SELECT stddev(je) FROM t',
        'SELECT qh, var_pop(je) FROM t GROUP BY qh',
        'SELECT round(avg(je), 2) FROM t',
        'SELECT sum(je) / count(*) FROM t',
        'SELECT qh, max(je) FROM t GROUP BY qh',
        'SELECT count(*) FROM t a JOIN t b ON a.qh = b.qh',
        'SELECT qh, count(*) FROM t GROUP BY qh HAVING count(*) > 1',
        'SELECT qh, count(*) AS n FROM t GROUP BY qh ORDER BY n',
        'SELECT qh, count(*) FROM t GROUP BY qh ORDER BY 2 DESC',
        'SELECT qh, avg(je) FROM t GROUP BY qh ORDER BY avg(je)',
      ]) {
        const refused = await sql(text);
        expectRefusal(refused, 'sandbox_noise_unsupported');
        expect(refused.json().error.details.allowed, text).toContain('count(*)');
      }
      // None of it spent ε.
      expect(await budget()).toMatchObject({ spentTotal: 0 });
      const fine = await sql('SELECT qh, count(*) AS n FROM t GROUP BY qh ORDER BY qh DESC');
      expect(fine.statusCode, fine.body).toBe(200);
    });

    it('refuses once the budget is spent, saying what is left', async () => {
      const { sql } = await holder({
        sandboxNoise: { epsilon: 0.5 },
        privacyBudget: { epsilonPerDay: 1, epsilonTotal: 1 },
      });
      const ask = () => sql('SELECT count(*) AS n FROM t');
      expect((await ask()).json().check.noise.epsilon).toMatchObject({ remainingToday: 0.5 });
      expect((await ask()).json().check.noise.epsilon).toMatchObject({ remainingTotal: 0 });
      const refused = await ask();
      expectRefusal(refused, 'privacy_budget_exhausted');
      expect(refused.json().error.details).toEqual({ epsilon: 0.5, remainingToday: 0, remainingTotal: 0 });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      noCanary(refused.body);
    });

    it('never overspends under parallel queries (the spend is one atomic statement)', async () => {
      const { sql, budget } = await holder({
        sandboxNoise: { epsilon: 0.5 },
        privacyBudget: { epsilonPerDay: 2, epsilonTotal: 2 },
      });
      const answers = await Promise.all(Array.from({ length: 8 }, () => sql('SELECT count(*) AS n FROM t')));
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
      expect(await budget()).toMatchObject({ spentToday: 2, spentTotal: 2 });
    });

    it('holds a differencing query noised: the steward reviews, and releases, the noised answer only', async () => {
      // A small ε, so that a noised count and sum both left exact has probability < 10⁻⁶.
      const { sql, budget, key } = await holder({
        sandboxNoise: { epsilon: 0.05 },
        privacyBudget: { epsilonPerDay: 1, epsilonTotal: 1 },
      });
      const held = await sql(`SELECT count(*) AS n, sum(je) AS total FROM t WHERE qh = '区0' AND xb <> '男'`);
      expect(held.statusCode, held.body).toBe(202);
      expect(held.json()).not.toHaveProperty('rows');
      expect(held.json().check).toMatchObject({
        outcome: 'held_for_review',
        noise: { epsilon: { perAggregate: 0.05, spent: 0.1 } },
      });
      // ε is spent when the answer is computed and noised, held or not.
      expect(await budget()).toMatchObject({ spentTotal: 0.1 });
      const id = held.json().review.id;
      const seen = await call(steward, 'GET', `/api/v1/release-reviews/${id}/result`);
      expect(seen.statusCode, seen.body).toBe(200);
      const [row] = seen.json().rows as { n: number; total: number }[];
      const women = PEOPLE.filter((p) => p.qh === '区0' && p.xb !== '男');
      expect(row!.n !== women.length || row!.total !== women.reduce((s, p) => s + p.je, 0)).toBe(true);
      expect(seen.json().check.noise.columns.map((c: { name: string }) => c.name)).toEqual(['n', 'total']);
      const approved = await call(steward, 'POST', `/api/v1/release-reviews/${id}/approve`, {
        reason: '已加噪',
      });
      expect(approved.statusCode, approved.body).toBe(200);
      const released = await call(key, 'GET', `/api/v1/release-reviews/${id}/result`);
      expect(released.statusCode, released.body).toBe(200);
      // The same noised values (drawn once), and no second spend for reading them again.
      expect(released.json().rows).toEqual(seen.json().rows);
      expect(await budget()).toMatchObject({ spentTotal: 0.1 });
      noCanary(released.body);
    });

    it('lets the security officer strengthen the noise, never weaken or remove it', async () => {
      const db = server.store.db;
      const provider = await buildOrganization(db, { name: `公安厅-${kind}-${schema}` });
      const [first, officer] = await Promise.all(
        (['data_steward', 'security_officer'] as const).map(async (role) =>
          loginAs(
            server.app,
            (await buildUser(db, { orgId: provider.id, roles: [role] })).username,
            TEST_PASSWORD,
          ),
        ),
      );
      const important = await buildResource(
        db,
        provider.id,
        {
          items: ITEMS,
          grade: 'important',
          sharingType: 'conditional',
          sharingConditions: '用于统计分析',
          sharingMethods: ['api'],
        },
        { publish: true },
      );
      const consumer = await buildOrganization(db);
      const analyst = await loginAs(
        server.app,
        (await buildUser(db, { orgId: consumer.id, roles: ['analyst'] })).username,
        TEST_PASSWORD,
      );
      const app = await buildApiKey(db, consumer.id);
      const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
        applicationId: app.application.id,
        resourceCode: important.code,
        items: NAMES,
        purpose: '低保资金分布分析',
        legalBasis: '《社会救助暂行办法》',
        use: 'sandbox',
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      });
      expect(requested.statusCode, requested.body).toBe(201);
      const url = `/api/v1/access-requests/${requested.json().id}/approve`;
      const step1 = await call(first!, 'POST', url, { sandboxNoise: { epsilon: 0.5 } });
      expect(step1.statusCode, step1.body).toBe(200);
      expect(step1.json().grant).toBeNull();
      expectRefusal(await call(officer!, 'POST', url, { sandboxNoise: null }), 'noise_weakened');
      expectRefusal(await call(officer!, 'POST', url, { sandboxNoise: { epsilon: 1 } }), 'noise_weakened');
      expectRefusal(
        await call(officer!, 'POST', url, { privacyBudget: { epsilonPerDay: 2, epsilonTotal: 10 } }),
        'quota_exceeds_request',
      );
      const step2 = await call(officer!, 'POST', url, {
        sandboxNoise: { epsilon: 0.2 },
        privacyBudget: { epsilonPerDay: 0.5, epsilonTotal: 5 },
      });
      expect(step2.statusCode, step2.body).toBe(200);
      expect(step2.json().grant).toMatchObject({
        sandboxNoise: { epsilon: 0.2 },
        privacyBudget: { epsilonPerDay: 0.5, epsilonTotal: 5 },
      });
    });
  });
});
