import { randomBytes } from 'node:crypto';
import pg from 'pg';
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
import { SERVICES, serviceAvailable } from '../../test/support/services.js';
import { makeIdNumber } from '../../test/support/source-data.js';
import { describeEachStore } from '../../test/support/store.js';
import type { CreateResourceInput } from '../catalog/index.js';
import { createSource } from '../sources/index.js';

// Forty recipients of 低保 in a PostgreSQL table: 24 in 鼓楼区, 16 in 台江区, ages 20–59, monthly
// amounts in yuan; recipient 0 alone receives 999 (the target of the differencing attack). Their
// names and ID numbers must never appear in an answer.
const PEOPLE = Array.from({ length: 40 }, (_, i) => ({
  xm: `低保户${String(i).padStart(2, '0')}`,
  sfzh: makeIdNumber('350102', '19700101', i + 1),
  qh: i < 24 ? '鼓楼区' : '台江区',
  nl: 20 + i,
  je: i === 0 ? 999 : 300 + ((i * 37) % 500),
}));
const ITEMS: NonNullable<CreateResourceInput['items']> = [
  { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
  { name: '身份证号', field: 'sfzh', dataType: 'string', personal: true, personalKind: 'identity_document' },
  { name: '区划', field: 'qh', dataType: 'string' },
  { name: '年龄', field: 'nl', dataType: 'number', bounds: { lower: 0, upper: 120 } },
  { name: '保障金额', field: 'je', dataType: 'number', bounds: { lower: 0, upper: 1000 } },
];
const postgresUp = await serviceAvailable('postgres');

describeEachStore('statistics through SQL (统计用途, POST /query)', (kind) => {
  let server: TestServer;
  let steward: Credentials;
  let client: pg.Client;
  let code: string;
  let open: string;
  const schema = `src_${randomBytes(5).toString('hex')}`;

  const call = (as: Credentials, method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as string });
  const sql = (as: Credentials, text: string, extra: Record<string, unknown> = { epsilon: 0.5 }) =>
    call(as, 'POST', '/api/v1/query', { sql: text, aliases: { dibao: code }, ...extra });

  /** A consumer key holding a grant of `use` on the resource, with `terms`. */
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
      items: ITEMS.map((i) => i.name),
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
    expect(approved.statusCode, approved.body).toBe(200);
    grantIds.set(key.key, approved.json().grant.id);
    return bearer(key.key);
  }
  const grantIds = new Map<string, string>();
  const grantOf = (consumer: Credentials) =>
    grantIds.get(String(consumer.headers.authorization).replace(/^Bearer /, ''))!;

  const noNames = (body: string) => {
    for (const p of PEOPLE) {
      expect(body).not.toContain(p.xm);
      expect(body).not.toContain(p.sfzh);
    }
  };

  beforeAll(async () => {
    if (!postgresUp) throw new Error('PostgreSQL is needed for the source data');
    client = new pg.Client({ connectionString: SERVICES.postgres.url });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.dibao (xm text, sfzh text, qh text, nl integer, je integer)`);
    for (const p of PEOPLE)
      await client.query(`INSERT INTO ${schema}.dibao VALUES ($1, $2, $3, $4, $5)`, [
        p.xm,
        p.sfzh,
        p.qh,
        p.nl,
        p.je,
      ]);
    server = await openTestServer(kind);
    const db = server.store.db;
    const civil = await buildOrganization(db, { name: `民政厅-${schema}-${kind}` });
    steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: civil.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    const source = await createSource(db, server.sources, {
      kind: 'postgres',
      name: `低保库-${schema}`,
      database: 'test',
      orgId: civil.id,
      host: SERVICES.postgres.host,
      port: SERVICES.postgres.port,
      user: 'postgres',
      tls: { mode: 'disable' },
      description: '',
    });
    const resource = await buildResource(
      db,
      civil.id,
      { items: ITEMS, sharingType: 'conditional', sharingConditions: '用于统计', sharingMethods: ['api'] },
      { publish: true },
    );
    code = resource.code;
    const bound = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, {
      sourceId: source.id,
      from: { kind: 'table', schema, table: 'dibao' },
    });
    expect(bound.statusCode, bound.body).toBe(200);
    // The same table as an unconditional resource (无条件共享): anyone reads it in detail.
    open = (
      await buildResource(
        db,
        civil.id,
        { items: ITEMS, sharingType: 'unconditional', sharingMethods: ['api'] },
        { publish: true },
      )
    ).code;
    const boundOpen = await call(steward, 'PUT', `/api/v1/resources/${open}/binding`, {
      sourceId: source.id,
      from: { kind: 'table', schema, table: 'dibao' },
    });
    expect(boundOpen.statusCode, boundOpen.body).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await client?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client?.end();
  });

  it('answers the subset with noisy values, one row per listed group, spending the same budget as the REST endpoint', async () => {
    const consumer = await holder('statistics', { privacyBudget: { epsilonPerDay: 5, epsilonTotal: 20 } });
    const answer = await sql(
      consumer,
      `SELECT qh AS 区, COUNT(*) AS n, SUM(je) AS total, AVG("je") FROM dibao d
       WHERE qh IN ('鼓楼区', '台江区', '晋安区') AND nl >= 18 AND d.nl BETWEEN 0 AND 120 AND xm LIKE '低保户%'
       GROUP BY qh`,
    );
    expect(answer.statusCode, answer.body).toBe(200);
    const body = answer.json();
    expect(body.columns).toEqual([
      { name: '区', type: 'string' },
      { name: 'n', type: 'integer' },
      { name: 'total', type: 'number' },
      { name: 'avg(je)', type: 'number' },
    ]);
    // Every listed group, the absent 晋安区 too, in the order listed.
    expect(body.rows.map((r: Record<string, unknown>) => r.区)).toEqual(['鼓楼区', '台江区', '晋安区']);
    // COUNT's noise is discrete Laplace of scale 1/ε = 2 (σ ≈ 2.83): ±40 is over 14 σ.
    expect(Math.abs(body.rows[0].n - 24)).toBeLessThan(40);
    expect(Math.abs(body.rows[1].n - 16)).toBeLessThan(40);
    expect(body.rows[2].avg).toBeUndefined();
    expect(body.truncated).toBe(false);
    expect(body.statistics).toMatchObject({
      resource: code,
      mechanism: 'discrete-laplace',
      epsilon: { perMeasure: 0.5, spent: 1.5, remainingToday: 3.5, remainingTotal: 18.5 },
    });
    expect(body.statistics.noiseStddev[0].n).toBeCloseTo(2 * Math.SQRT2, 2);
    expect(body.statistics.noiseStddev[0].total).toBeCloseTo(2000 * Math.SQRT2, 0);
    noNames(answer.body);

    // One release, with its ε and the items read (the conditions' ones included).
    const requestId = String(answer.headers['x-request-id']);
    const entries = (await server.audit.entries({}, { limit: 1000 })).items.filter(
      (e) => e.requestId === requestId && e.type.startsWith('data.release'),
    );
    expect(entries.map((e) => e.type)).toEqual(['data.release.start', 'data.release.complete']);
    expect(entries[0]!.data).toMatchObject({ epsilonMicro: 1_500_000 });
    expect([...(entries[0]!.data as { items: Record<string, string[]> }).items[code]!].sort()).toEqual(
      ['区划', '保障金额', '年龄', '姓名'].sort(),
    );
    expect(entries[1]!.data).toMatchObject({ rows: 3, status: 'complete' });

    // The REST endpoint spends from the same budget: 1.5 + 1 of the day's 5.
    const rest = await call(consumer, 'POST', `/api/v1/resources/${code}/statistics`, {
      measures: [{ fn: 'count' }],
      epsilon: 1,
    });
    expect(rest.json().epsilon).toMatchObject({ remainingToday: 2.5, remainingTotal: 17.5 });
    // COUNT alone, by the item's name, ungrouped: one row.
    const total = await sql(consumer, 'SELECT count(*) FROM "dibao"', { epsilon: 1 });
    expect(total.statusCode, total.body).toBe(200);
    expect(total.json().rows).toHaveLength(1);
    expect(total.json().statistics.epsilon).toMatchObject({ spent: 1, remainingToday: 1.5 });
  });

  it('refuses everything outside the subset, naming the construct and what is allowed, and spends nothing', async () => {
    const consumer = await holder('statistics', { privacyBudget: { epsilonPerDay: 1, epsilonTotal: 10 } });
    const outside: Array<[string, RegExp]> = [
      ['SELECT * FROM dibao', /STAR/],
      ['SELECT xm FROM dibao', /xm outside an aggregate/],
      ['SELECT xm, count(*) FROM dibao', /xm outside an aggregate/],
      ['SELECT qh, count(*) FROM dibao WHERE nl >= 18 GROUP BY qh', /public list of groups/],
      ['SELECT count(*) FROM dibao ORDER BY 1', /ORDER BY/],
      ['SELECT count(*) FROM dibao LIMIT 1', /LIMIT/],
      ["SELECT count(*) FROM dibao WHERE qh = '鼓楼区' OR nl < 30", /OR/],
      ["SELECT count(*) FROM dibao WHERE qh <> '鼓楼区'", /not equal/],
      ['SELECT count(*) FROM dibao WHERE nl > 30', /write >=/],
      ["SELECT qh, count(*) FROM dibao WHERE qh IN ('鼓楼区') GROUP BY qh HAVING count(*) > 3", /HAVING/],
      ['SELECT count(*) FROM dibao a JOIN dibao b USING (sfzh)', /JOIN/],
      ['SELECT count(*) FROM (SELECT * FROM dibao)', /SUBQUERY/],
      ['SELECT count(DISTINCT xm) FROM dibao', /DISTINCT/],
      ['SELECT count(xm) FROM dibao', /COUNT\(\*\)/],
      ['SELECT min(je) FROM dibao', /min/],
      ["SELECT string_agg(xm, ',') FROM dibao", /string_agg/],
      ['SELECT sum(je) OVER () FROM dibao', /window/],
      ['SELECT sum(je + 1) FROM dibao', /sum/],
      ["SELECT count(*) FROM dibao WHERE sfzh LIKE '3501%'", /identifies a person/],
      ['SELECT count(*) FROM dibao WHERE nl = (SELECT max(nl) FROM dibao)', /literal/],
      ['SELECT count(*) FROM dibao UNION ALL SELECT count(*) FROM dibao', /SET_OPERATION/],
      ['WITH x AS (SELECT * FROM dibao) SELECT count(*) FROM x', /WITH/],
      ['SELECT count(*) AS n, sum(je) AS n FROM dibao', /same name/],
    ];
    for (const [text, construct] of outside) {
      const response = await sql(consumer, text);
      expectRefusal(response, 'statistics_sql_unsupported');
      const details = response.json().error.details;
      expect(details.construct, text).toMatch(construct);
      expect(details.allowed.join('\n')).toContain('COUNT(*) | SUM(item) | AVG(item)');
      noNames(response.body);
    }
    // A file format, and no ε.
    expectRefusal(
      await sql(consumer, 'SELECT count(*) FROM dibao', { epsilon: 0.5, format: 'csv' }),
      'statistics_sql_unsupported',
    );
    expectRefusal(await sql(consumer, 'SELECT count(*) FROM dibao', {}), 'epsilon_required');
    // Grouping by an identifying item: the REST endpoint's refusal.
    const grouped = await sql(consumer, "SELECT sfzh, count(*) FROM dibao WHERE sfzh IN ('x') GROUP BY sfzh");
    expectRefusal(grouped, 'item_not_aggregable');
    expect(grouped.json().error.details).toMatchObject({ item: '身份证号', reason: 'identifying' });
    expectRefusal(await sql(consumer, 'SELECT sum(xm) FROM dibao'), 'item_not_aggregable');
    expectRefusal(await sql(consumer, 'SELECT count(*) FROM dibao WHERE nbbh = 1'), 'unknown_field');
    // Nothing refused spent ε: the whole day's budget answers one more query.
    const ok = await sql(consumer, 'SELECT count(*) FROM dibao', { epsilon: 1 });
    expect(ok.json().statistics.epsilon).toMatchObject({ remainingToday: 0, remainingTotal: 9 });
  });

  it('refuses NaN and ∞ wherever a bound can be written: in WHERE, and as an item’s value range', async () => {
    const consumer = await holder('statistics');
    for (const text of [
      'SELECT count(*) FROM dibao WHERE je < 1e999',
      'SELECT count(*) FROM dibao WHERE je BETWEEN -1e999 AND 0',
      "SELECT count(*) FROM dibao WHERE je >= 'NaN'",
      "SELECT count(*) FROM dibao WHERE je <= 'Infinity'",
      "SELECT count(*) FROM dibao WHERE je < 'inf'::DOUBLE",
    ]) {
      const response = await sql(consumer, text);
      expectRefusal(response, 'statistics_sql_unsupported');
      expect(response.json().error.details.construct, text).toMatch(/non-finite|text literal|CAST/);
    }
    // The catalog refuses a value range that is not finite (JSON's 1e999 reads as ∞).
    const items = JSON.stringify(ITEMS).replace('"upper":1000', '"upper":1e999');
    const patched = await server.app.inject({
      method: 'PATCH',
      url: `/api/v1/resources/${code}`,
      headers: { ...steward.headers, 'content-type': 'application/json' },
      payload: `{"items":${items}}`,
    });
    expect(patched.statusCode, patched.body).toBe(400);
  });

  it('noises a differencing attack through WHERE and charges both queries, until the budget refuses', async () => {
    const consumer = await holder('statistics', { privacyBudget: { epsilonPerDay: 2, epsilonTotal: 2 } });
    // Recipient 0 alone gets 999: the two counts differ by exactly that person's row.
    const all = 'SELECT count(*) AS n FROM dibao WHERE je <= 999';
    const others = 'SELECT count(*) AS n FROM dibao WHERE je < 999';
    const seen: number[] = [];
    for (let round = 0; round < 2; round++)
      for (const text of [all, others]) {
        const response = await sql(consumer, text);
        expect(response.statusCode, response.body).toBe(200);
        const body = response.json();
        expect(body.statistics.noiseStddev[0].n).toBeGreaterThan(2.8);
        expect(body.statistics.epsilon.spent).toBe(0.5);
        seen.push(body.statistics.epsilon.remainingTotal);
      }
    expect(seen).toEqual([1.5, 1, 0.5, 0]);
    // Averaging the noise away needs more queries; the budget refuses them, saying what is left.
    const refused = await sql(consumer, all);
    expectRefusal(refused, 'privacy_budget_exhausted');
    expect(refused.json().error.details).toEqual({ epsilon: 0.5, remainingToday: 0, remainingTotal: 0 });
    noNames(refused.body);
    // The steward sees the consumer's spending against the limits (the console's 隐私预算 page).
    const budget = await call(steward, 'GET', `/api/v1/grants/${grantOf(consumer)}/privacy-budget`);
    expect(budget.statusCode, budget.body).toBe(200);
    expect(budget.json()).toEqual({
      grantId: grantOf(consumer),
      epsilonPerDay: 2,
      epsilonTotal: 2,
      spentToday: 2,
      spentTotal: 2,
    });
    // The steward may lower the limits, never raise them past the approved ones; it is logged.
    const url = `/api/v1/grants/${grantOf(consumer)}/privacy-budget`;
    expectRefusal(
      await call(steward, 'PUT', url, { epsilonPerDay: 2, epsilonTotal: 3 }),
      'quota_exceeds_request',
    );
    expectRefusal(await call(consumer, 'PUT', url, { epsilonPerDay: 1, epsilonTotal: 1 }), 'forbidden');
    const lowered = await call(steward, 'PUT', url, { epsilonPerDay: 1, epsilonTotal: 1.5 });
    expect(lowered.statusCode, lowered.body).toBe(200);
    expect(lowered.json().privacyBudget).toEqual({ epsilonPerDay: 1, epsilonTotal: 1.5 });
    const logged = (await server.audit.entries({}, { limit: 1000 })).items.filter(
      (e) => e.type === 'grant.budget_lowered',
    );
    expect(logged.at(-1)!.data).toMatchObject({
      grantId: grantOf(consumer),
      epsilonPerDayMicro: 1_000_000,
      epsilonTotalMicro: 1_500_000,
    });
    const detail = await holder('detail');
    expectRefusal(
      await call(steward, 'PUT', `/api/v1/grants/${grantOf(detail)}/privacy-budget`, {
        epsilonPerDay: 1,
        epsilonTotal: 1,
      }),
      'budget_not_applicable',
    );
  });

  it('never overspends under parallel SQL statistics (one atomic spend)', async () => {
    const consumer = await holder('statistics', { privacyBudget: { epsilonPerDay: 2, epsilonTotal: 2 } });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => sql(consumer, "SELECT count(*) FROM dibao WHERE qh = '鼓楼区'")),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([
      200, 200, 200, 200, 429, 429, 429, 429, 429, 429,
    ]);
    const left = answers
      .filter((a) => a.statusCode === 200)
      .map((a) => a.json().statistics.epsilon.remainingToday);
    expect(left.sort()).toEqual([0, 0.5, 1, 1.5]);
  });

  it('never reads a statistics resource in detail beside another resource, in either order', async () => {
    const stats = await holder('statistics');
    for (const text of [
      'SELECT count(*) AS n FROM dibao, other',
      'SELECT count(*) AS n FROM other JOIN dibao USING (sfzh)',
    ]) {
      const mixed = await call(stats, 'POST', '/api/v1/query', {
        sql: text,
        aliases: { dibao: code, other: open },
        epsilon: 0.5,
      });
      expectRefusal(mixed, 'statistics_sql_unsupported');
      noNames(mixed.body);
    }
  });

  it('leaves detail grants and the provider on the ordinary sandbox', async () => {
    const detail = await holder('detail');
    const rows = await sql(detail, 'SELECT qh, count(*) AS n FROM dibao GROUP BY qh ORDER BY qh', {});
    expect(rows.statusCode, rows.body).toBe(200);
    expect(rows.json().statistics).toBeUndefined();
    expect(rows.json().rows).toEqual([
      { qh: '台江区', n: 16 },
      { qh: '鼓楼区', n: 24 },
    ]);
  });
});
