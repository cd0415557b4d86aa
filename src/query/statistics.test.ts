import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../test/support/http.js';
import { expectRefusal } from '../../test/support/refusals.js';
import { makeIdNumber } from '../../test/support/source-data.js';
import { describeEachStore } from '../../test/support/store.js';
import type { CreateResourceInput } from '../catalog/index.js';

// Forty recipients of 低保 (minimum living allowance): 24 in 鼓楼区, 16 in 台江区, with monthly
// amounts in yuan. Their names and ID numbers are the canaries: no answer may carry one.
const PEOPLE = Array.from({ length: 40 }, (_, i) => ({
  xm: `低保户${String(i).padStart(2, '0')}`,
  sfzh: makeIdNumber('350102', '19700101', i + 1),
  qh: i < 24 ? '鼓楼区' : '台江区',
  je: 300 + ((i * 37) % 500),
}));
const CSV = `xm,sfzh,qh,je,je2\n${PEOPLE.map((p) => `${p.xm},${p.sfzh},${p.qh},${p.je},1`).join('\n')}\n`;
const ITEMS: NonNullable<CreateResourceInput['items']> = [
  { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
  { name: '身份证号', field: 'sfzh', dataType: 'string', personal: true, personalKind: 'identity_document' },
  { name: '区划', field: 'qh', dataType: 'string' },
  { name: '保障金额', field: 'je', dataType: 'number', bounds: { lower: 0, upper: 1000 } },
  { name: '备注金额', field: 'je2', dataType: 'number' },
];
const GROUPS = ['鼓楼区', '台江区', '晋安区'];

describeEachStore('differentially private statistics (统计用途), through the API', (kind) => {
  let server: TestServer;
  let steward: Credentials;
  let code: string;

  const call = (as: Credentials, method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as string });
  const statistics = (as: Credentials, body: Record<string, unknown>) =>
    call(as, 'POST', `/api/v1/resources/${code}/statistics`, body);

  /** A consumer application holding a grant of `use`, approved with `terms`. */
  async function holder(use: string, terms: Record<string, unknown> = {}) {
    const db = server.store.db;
    const org = await buildOrganization(db);
    const analyst = await loginAs(
      server.app,
      (await buildUser(db, { orgId: org.id, roles: ['analyst'] })).username,
      TEST_PASSWORD,
    );
    const key = await buildApiKey(db, org.id);
    const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
      applicationId: key.application.id,
      resourceCode: code,
      items: ['姓名', '身份证号', '区划', '保障金额', '备注金额'],
      purpose: '低保资金统计',
      legalBasis: '《社会救助暂行办法》',
      use,
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    expect(requested.statusCode, requested.body).toBe(201);
    const approved = await call(
      steward,
      'POST',
      `/api/v1/access-requests/${requested.json().id}/approve`,
      terms,
    );
    return { approved, credentials: bearer(key.key) };
  }

  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    const civil = await buildOrganization(db, { name: `民政厅-${kind}-${Date.now()}` });
    const user = await buildUser(db, { orgId: civil.id, roles: ['data_steward'] });
    steward = await loginAs(server.app, user.username, TEST_PASSWORD);
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/sources/files?name=dibao',
      headers: { ...steward.headers, 'content-type': 'text/csv' },
      payload: CSV,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const resource = await buildResource(
      db,
      civil.id,
      {
        items: ITEMS,
        sharingType: 'conditional',
        sharingConditions: '用于统计',
        sharingMethods: ['api', 'verification'],
      },
      { publish: true },
    );
    code = resource.code;
    const bound = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
      sourceId: upload.json().source.id,
      from: { kind: 'table', table: 'data' },
    });
    expect(bound.statusCode, bound.body).toBe(200);
  }, 120_000);
  afterAll(() => server?.close());

  it('answers noisy COUNT, SUM and AVG for every listed group, logs the release with its ε and releases no record', async () => {
    const { approved, credentials } = await holder('statistics', {
      privacyBudget: { epsilonPerDay: 5, epsilonTotal: 20 },
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().grant).toMatchObject({
      use: 'statistics',
      privacyBudget: { epsilonPerDay: 5, epsilonTotal: 20 },
    });
    const answer = await statistics(credentials, {
      measures: [{ fn: 'count' }, { fn: 'sum', item: '保障金额' }, { fn: 'avg', item: 'je' }],
      groupBy: { item: '区划', groups: GROUPS },
      epsilon: 1,
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    expect(body.epsilon).toEqual({ perMeasure: 1, spent: 3, remainingToday: 2, remainingTotal: 17 });
    // Every listed group is answered, the absent 晋安区 too, in the order asked.
    expect(body.groups.map((g: { group: string }) => g.group)).toEqual(GROUPS);
    const count = (g: number) => body.groups[g].values[0];
    expect(count(0).measure).toBe('count');
    // COUNT's noise: discrete Laplace of scale 1/ε = 1 (σ = √2); ±25 is over 17 σ.
    expect(Math.abs(count(0).value - 24)).toBeLessThan(25);
    expect(Math.abs(count(2).value)).toBeLessThan(25);
    expect(count(0).noiseStddev).toBeCloseTo(Math.SQRT2, 2);
    // SUM's sensitivity is the range's larger end (1000): σ = 1000 √2.
    expect(body.groups[0].values[1]).toMatchObject({ measure: 'sum(je)', noiseStddev: 1414.214 });
    const avg = body.groups[0].values[2].value;
    expect(avg).toBeGreaterThanOrEqual(0);
    expect(avg).toBeLessThanOrEqual(1000);
    for (const p of PEOPLE) {
      expect(answer.body).not.toContain(p.xm);
      expect(answer.body).not.toContain(p.sfzh);
    }
    const requestId = String(answer.headers['x-request-id']);
    const entries = (await server.audit.entries({}, { limit: 1000 })).items.filter(
      (e) => e.requestId === requestId && e.type.startsWith('data.release'),
    );
    expect(entries.map((e) => e.type)).toEqual(['data.release.start', 'data.release.complete']);
    expect(entries[0]!.data).toMatchObject({
      epsilonMicro: 3_000_000,
      items: { [code]: ['区划', '保障金额'] },
    });
    expect(entries[1]!.data).toMatchObject({ rows: 3, status: 'complete' });
  });

  it('refuses statistics to other uses, and records to a statistics grant', async () => {
    const detail = await holder('detail');
    expect(detail.approved.statusCode).toBe(200);
    expectRefusal(
      await statistics(detail.credentials, { measures: [{ fn: 'count' }], epsilon: 1 }),
      'statistics_not_allowed',
    );
    const stats = await holder('statistics');
    expect(stats.approved.json().grant.privacyBudget).toEqual({ epsilonPerDay: 1, epsilonTotal: 10 });
    expectRefusal(
      await call(stats.credentials, 'GET', `/api/v1/resources/${code}/rows`),
      'detail_not_allowed',
    );
    // Nor a claim about one person, where the resource offers verification to others; the
    // refusal says what the grant is for.
    const claim = await call(stats.credentials, 'POST', `/api/v1/resources/${code}/verify`, {
      values: { 区划: GROUPS[0] },
    });
    expectRefusal(claim, 'detail_not_allowed');
    expect(claim.json().error.message).toBe(`${code} may only be used for statistics`);
    // SQL answers only the statistics subset (statistics-sql.test.ts): never rows.
    expectRefusal(
      await call(stats.credentials, 'POST', '/api/v1/query', {
        sql: 'SELECT * FROM t',
        aliases: { t: code },
      }),
      'statistics_sql_unsupported',
    );
    // A budget belongs to statistics requests only.
    const wrong = await holder('detail', { privacyBudget: { epsilonPerDay: 1, epsilonTotal: 2 } });
    expectRefusal(wrong.approved, 'budget_not_applicable');
  });

  it('aggregates only unmasked numbers with a value range, and never groups by an identifying item', async () => {
    const { credentials } = await holder('statistics');
    const refused = async (body: Record<string, unknown>, reason: string) => {
      const response = await statistics(credentials, { epsilon: 0.1, ...body });
      expectRefusal(response, 'item_not_aggregable');
      expect(response.json().error.details.reason).toBe(reason);
    };
    await refused({ measures: [{ fn: 'sum', item: '姓名' }] }, 'masked');
    await refused({ measures: [{ fn: 'avg', item: '区划' }] }, 'not_numeric');
    await refused(
      { measures: [{ fn: 'count' }], groupBy: { item: '身份证号', groups: ['x'] } },
      'identifying',
    );
    await refused({ measures: [{ fn: 'sum', item: '备注金额' }] }, 'no_bounds');
    expectRefusal(
      await statistics(credentials, { epsilon: 0.1, measures: [{ fn: 'sum', item: '不存在' }] }),
      'unknown_field',
    );
    // Nothing refused spent budget: the whole daily ε is still there.
    const ok = await statistics(credentials, { epsilon: 1, measures: [{ fn: 'count' }] });
    expect(ok.json().epsilon).toMatchObject({ remainingToday: 0, remainingTotal: 9 });
  });

  it('refuses once the day’s or the total budget is spent, saying what is left', async () => {
    const { credentials } = await holder('statistics', {
      privacyBudget: { epsilonPerDay: 1, epsilonTotal: 1.5 },
    });
    const ask = () => statistics(credentials, { measures: [{ fn: 'count' }], epsilon: 0.5 });
    expect((await ask()).json().epsilon).toMatchObject({ remainingToday: 0.5, remainingTotal: 1 });
    expect((await ask()).json().epsilon).toMatchObject({ remainingToday: 0, remainingTotal: 0.5 });
    const refused = await ask();
    expectRefusal(refused, 'privacy_budget_exhausted');
    expect(refused.json().error.details).toEqual({ epsilon: 0.5, remainingToday: 0, remainingTotal: 0.5 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('never overspends under parallel queries (the spend is one atomic statement)', async () => {
    const { credentials } = await holder('statistics', {
      privacyBudget: { epsilonPerDay: 2, epsilonTotal: 2 },
    });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        statistics(credentials, { measures: [{ fn: 'count' }], epsilon: 0.5 }),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([
      200, 200, 200, 200, 429, 429, 429, 429, 429, 429,
    ]);
  });

  it('adds discrete Laplace noise: 200 counts fit its distribution (χ²)', async () => {
    const { credentials } = await holder('statistics', {
      privacyBudget: { epsilonPerDay: 100, epsilonTotal: 100 },
    });
    const epsilon = 0.5;
    const noise: number[] = [];
    for (let i = 0; i < 200; i++) {
      const answer = await statistics(credentials, { measures: [{ fn: 'count' }], epsilon });
      expect(answer.statusCode, answer.body).toBe(200);
      noise.push(answer.json().groups[0].values[0].value - PEOPLE.length);
    }
    // Bins …−3, −2, −1, 0, 1, 2, 3… against P(x) = (1 − e^−ε)/(1 + e^−ε) · e^−ε|x|.
    const q = Math.exp(-epsilon);
    const pmf = (x: number) => ((1 - q) / (1 + q)) * q ** Math.abs(x);
    const tail = q ** 3 / (1 + q);
    const bins = [-3, -2, -1, 0, 1, 2, 3];
    const expected = bins.map((b) => (Math.abs(b) === 3 ? tail : pmf(b)) * noise.length);
    const observed = bins.map(
      (b) => noise.filter((x) => (b === -3 ? x <= -3 : b === 3 ? x >= 3 : x === b)).length,
    );
    const chi2 = observed.reduce((s, o, i) => s + (o - expected[i]!) ** 2 / expected[i]!, 0);
    // 6 degrees of freedom: χ² > 35 has probability ≈ 4·10⁻⁶ under the right distribution.
    expect(chi2, JSON.stringify({ observed, expected })).toBeLessThan(35);
  }, 120_000);
});
