import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildOrganization,
  buildResource,
  buildUser,
  TEST_PASSWORD,
} from '../../../test/support/factories.js';
import { fileResource } from '../../../test/support/file-resource.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../../test/support/http.js';
import { expectRefusal } from '../../../test/support/refusals.js';
import { SERVICES, serviceAvailable } from '../../../test/support/services.js';
import { makeIdNumber } from '../../../test/support/source-data.js';
import { describeEachStore } from '../../../test/support/store.js';
import { creditCodeCheckChar } from '../../privacy/index.js';
import { sweepQuality } from './sweep.js';

const postgresUp = await serviceAvailable('postgres');
const mariadbUp = await serviceAvailable('mariadb');

const GOOD = [1, 2, 3, 4].map((i) => makeIdNumber('350102', '19800101', i));
// A wrong check character: the last one of a good number, changed.
const BAD_CHECK = `${GOOD[0]!.slice(0, 17)}${GOOD[0]!.endsWith('0') ? '1' : '0'}`;
const creditCode = (body17: string) => body17 + creditCodeCheckChar(body17)!;

interface RunView {
  status: string;
  score: number | null;
  errorCode: string | null;
  results: Array<{
    rule: { kind: string; items: string[]; format: string | null };
    checked: number;
    failed: number;
    samples: Array<Record<string, string | null>>;
  }>;
}
const result = (run: RunView, kind: string, item?: string, format?: string) =>
  run.results.find(
    (r) =>
      r.rule.kind === kind && (!item || r.rule.items.includes(item)) && (!format || r.rule.format === format),
  )!;

// Data quality (docs/governance.md, "Data quality"): rules pushed into PostgreSQL, MariaDB and
// file sources, masked samples, scores, the schedule, and the refusals.
describeEachStore('data quality', (kind) => {
  let server: TestServer;
  let steward: Credentials;
  let analyst: Credentials;
  let orgId: string;
  let pgSchema: string;
  let pgClient: pg.Client | undefined;
  let pgSource: string;
  let people: string;
  let licences: string;

  const call = (who: Credentials, method: string, url: string, payload?: unknown) =>
    server.app.inject({ method: method as 'GET', url, headers: who.headers, payload: payload as object });
  const base = '/api/v1/governance/quality/resources';
  const runNow = async (code: string): Promise<RunView> => {
    const response = await call(steward, 'POST', `${base}/${code}/runs`);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const bind = async (code: string, sourceId: string, from: unknown) => {
    const response = await call(steward, 'PUT', `/api/v1/resources/${code}/binding`, { sourceId, from });
    expect(response.statusCode, response.body).toBe(200);
  };

  beforeAll(async () => {
    server = await openTestServer(kind);
    const db = server.store.db;
    orgId = (await buildOrganization(db)).id;
    steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    analyst = await loginAs(
      server.app,
      (await buildUser(db, { orgId: (await buildOrganization(db)).id, roles: ['analyst'] })).username,
      TEST_PASSWORD,
    );
    if (!postgresUp) return;
    pgSchema = `q_${randomBytes(5).toString('hex')}`;
    pgClient = new pg.Client({ connectionString: SERVICES.postgres.url });
    await pgClient.connect();
    await pgClient.query(`CREATE SCHEMA ${pgSchema}`);
    await pgClient.query(`CREATE TABLE ${pgSchema}.people (xm text, sfzh text, gxsj timestamptz)`);
    const rows: Array<[string, string | null]> = [
      ['张明', GOOD[0]!],
      ['李华', GOOD[1]!],
      ['王明', GOOD[2]!],
      ['陈华', BAD_CHECK],
      ['林明', GOOD[0]!],
      ['欧阳华', null],
    ];
    for (const [xm, sfzh] of rows)
      await pgClient.query(`INSERT INTO ${pgSchema}.people VALUES ($1, $2, '2020-01-01T00:00:00Z')`, [
        xm,
        sfzh,
      ]);
    await pgClient.query(`CREATE TABLE ${pgSchema}.licences (zh text, sfzh text)`);
    for (const [zh, sfzh] of [
      ['L1', GOOD[0]!],
      ['L2', GOOD[1]!],
      ['L3', GOOD[3]!],
    ])
      await pgClient.query(`INSERT INTO ${pgSchema}.licences VALUES ($1, $2)`, [zh, sfzh]);
    const source = await call(steward, 'POST', '/api/v1/sources', {
      kind: 'postgres',
      name: `质量库-${randomBytes(3).toString('hex')}`,
      host: '127.0.0.1',
      port: 5432,
      database: 'test',
      user: 'postgres',
    });
    expect(source.statusCode, source.body).toBe(201);
    pgSource = source.json().id;
    people = (
      await buildResource(
        db,
        orgId,
        {
          updateCycle: 'daily',
          items: [
            { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
            {
              name: '身份证号',
              field: 'sfzh',
              dataType: 'string',
              personal: true,
              personalKind: 'identity_document',
            },
            { name: '更新时间', field: 'gxsj', dataType: 'datetime' },
          ],
        },
        { publish: true },
      )
    ).code;
    licences = (
      await buildResource(
        db,
        orgId,
        {
          updateCycle: 'irregular',
          items: [
            { name: '证照号', field: 'zh', dataType: 'string' },
            {
              name: '持证人身份证号',
              field: 'sfzh',
              dataType: 'string',
              personal: true,
              personalKind: 'identity_document',
            },
          ],
        },
        { publish: true },
      )
    ).code;
    await bind(people, pgSource, { kind: 'table', schema: pgSchema, table: 'people' });
    await bind(licences, pgSource, { kind: 'table', schema: pgSchema, table: 'licences' });
  });
  afterAll(async () => {
    if (pgClient) {
      await pgClient.query(`DROP SCHEMA ${pgSchema} CASCADE`);
      await pgClient.end();
    }
    await server.close();
  });

  it.skipIf(!postgresUp)(
    'derives rules from the catalog and finds, in PostgreSQL, a missing value, a wrong check digit, a duplicate key and stale data',
    async () => {
      const run = await runNow(people);
      expect(run.status).toBe('succeeded');
      expect(result(run, 'completeness', '身份证号')).toMatchObject({ checked: 6, failed: 1 });
      const validity = result(run, 'validity', '身份证号', 'id_number');
      expect(validity).toMatchObject({ checked: 5, failed: 1 });
      // The sample is masked with the item's mask: the region and the last four stay, never the whole number.
      expect(validity.samples).toHaveLength(1);
      expect(validity.samples[0]!.身份证号).not.toBe(BAD_CHECK);
      expect(validity.samples[0]!.身份证号).toMatch(/^350102\*+/);
      const unique = result(run, 'uniqueness', '身份证号');
      expect(unique).toMatchObject({ checked: 5, failed: 2 });
      expect(JSON.stringify(unique.samples)).not.toContain(GOOD[0]!);
      expect(result(run, 'timeliness', '更新时间')).toMatchObject({ checked: 1, failed: 1 });
      // A typed column is valid by construction: the datetime check counts no failure.
      expect(result(run, 'validity', '更新时间')).toMatchObject({ failed: 0 });
      // Mean of the pass rates: 5/6, 4/5, 3/5, 0, 1 → 64.7.
      expect(run.score).toBeCloseTo(((5 / 6 + 4 / 5 + 3 / 5 + 0 + 1) / 5) * 100, 0);
      const score = await call(analyst, 'GET', `${base}/${people}/score`);
      expect(score.statusCode, score.body).toBe(200);
      expect(score.json()).toMatchObject({ score: run.score, lastRun: { status: 'succeeded' } });
    },
  );

  it.skipIf(!postgresUp)(
    'checks a reference between two resources of one source and lists the dangling row',
    async () => {
      const added = await call(steward, 'POST', `${base}/${licences}/rules`, {
        kind: 'referential',
        item: 'sfzh',
        target: { resource: people, item: '身份证号' },
      });
      expect(added.statusCode, added.body).toBe(201);
      expect(added.json()).toMatchObject({
        origin: 'steward',
        kind: 'referential',
        items: ['持证人身份证号'],
      });
      const run = await runNow(licences);
      const referential = result(run, 'referential');
      expect(referential).toMatchObject({ checked: 3, failed: 1 });
      expect(referential.samples[0]!.持证人身份证号).not.toBe(GOOD[3]);
      const page = await call(steward, 'GET', `${base}/${licences}`);
      expect(page.statusCode, page.body).toBe(200);
      expect(page.json().rules.map((r: { kind: string }) => r.kind)).toContain('referential');
      expect(page.json().trend).toHaveLength(1);
      // Another organisation's analyst sees the score, not the issues.
      expect((await call(analyst, 'GET', `${base}/${licences}`)).statusCode).toBe(404);
    },
  );

  it.skipIf(!postgresUp)('refuses a rule on an item that does not exist, and stores nothing', async () => {
    expectRefusal(
      await call(steward, 'POST', `${base}/${people}/rules`, { kind: 'completeness', item: '不存在' }),
      'unknown_item',
    );
    const page = await call(steward, 'GET', `${base}/${people}`);
    expect(page.json().rules.filter((r: { origin: string }) => r.origin === 'steward')).toEqual([]);
  });

  it.skipIf(!postgresUp)('refuses an invalid schedule and keeps the one in force', async () => {
    const set = await call(steward, 'PUT', `${base}/${people}/schedule`, { everyMinutes: 60 });
    expect(set.statusCode, set.body).toBe(200);
    for (const everyMinutes of [5, 0, 50_000])
      expectRefusal(
        await call(steward, 'PUT', `${base}/${people}/schedule`, { everyMinutes }),
        'invalid_schedule',
      );
    expectRefusal(
      await call(steward, 'PUT', `${base}/${people}/schedule`, { everyMinutes: 'daily' }),
      'invalid_request',
    );
    const page = await call(steward, 'GET', `${base}/${people}`);
    expect(page.json().schedule).toMatchObject({ everyMinutes: 60, useDefaults: true });
  });

  it.skipIf(!postgresUp)('runs due resources on the schedule, once each', async () => {
    const later = new Date(Date.now() + 2 * 86_400_000);
    const first = await sweepQuality(server.query, later);
    expect([...first.succeeded, ...first.failed]).toEqual(expect.arrayContaining([people, licences]));
    const again = await sweepQuality(server.query, later);
    expect([...again.succeeded, ...again.failed]).not.toContain(people);
  });

  it.skipIf(!postgresUp || !mariadbUp)(
    'finds a wrong credit-code check character, a duplicate and a non-number in MariaDB',
    async () => {
      const database = `q_${randomBytes(5).toString('hex')}`;
      const connection = await mysql.createConnection({
        host: SERVICES.mariadb.host,
        port: SERVICES.mariadb.port,
        user: 'root',
      });
      try {
        await connection.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
        await connection.query(
          `CREATE TABLE ${database}.enterprises (tyshxydm varchar(18), qymc varchar(100), zczb varchar(20))`,
        );
        const good = ['91350100MA0000001', '91350100MA0000002', '91350100MA0000003'].map(creditCode);
        const bad = `${good[0]!.slice(0, 17)}${good[0]!.endsWith('0') ? '1' : '0'}`;
        for (const [code, name, capital] of [
          [good[0], '甲公司', '100'],
          [good[1], '乙公司', '200.5'],
          [good[2], '丙公司', '一百万'],
          [bad, '丁公司', '300'],
          [good[1], '戊公司', '400'],
        ])
          await connection.query(`INSERT INTO ${database}.enterprises VALUES (?, ?, ?)`, [
            code,
            name,
            capital,
          ]);
        const source = await call(steward, 'POST', '/api/v1/sources', {
          kind: 'mysql',
          name: `企业库-${database}`,
          host: SERVICES.mariadb.host,
          port: SERVICES.mariadb.port,
          database,
          user: 'root',
        });
        expect(source.statusCode, source.body).toBe(201);
        const code = (
          await buildResource(
            server.store.db,
            orgId,
            {
              updateCycle: 'irregular',
              items: [
                { name: '统一社会信用代码', field: 'tyshxydm', dataType: 'string' },
                { name: '企业名称', field: 'qymc', dataType: 'string' },
                { name: '注册资本', field: 'zczb', dataType: 'number' },
              ],
            },
            { publish: true },
          )
        ).code;
        await bind(code, source.json().id, { kind: 'table', table: 'enterprises' });
        const run = await runNow(code);
        expect(run.status, JSON.stringify(run)).toBe('succeeded');
        expect(result(run, 'validity', '统一社会信用代码', 'credit_code')).toMatchObject({
          checked: 5,
          failed: 1,
        });
        expect(result(run, 'uniqueness', '统一社会信用代码')).toMatchObject({ checked: 5, failed: 2 });
        const number = result(run, 'validity', '注册资本', 'number');
        expect(number).toMatchObject({ checked: 5, failed: 1 });
        // Not a personal item: its sample shows as it is.
        expect(number.samples).toEqual([{ 注册资本: '一百万' }]);
        // A reference from MariaDB into PostgreSQL would join two systems: refused.
        if (postgresUp)
          expectRefusal(
            await call(steward, 'POST', `${base}/${code}/rules`, {
              kind: 'referential',
              item: '统一社会信用代码',
              target: { resource: people, item: '身份证号' },
            }),
            'referential_across_sources',
          );
      } finally {
        await connection.query(`DROP DATABASE IF EXISTS ${database}`);
        await connection.end();
      }
    },
  );

  it('checks an uploaded file in its own engine: an invalid date and a wrong ID check digit', async () => {
    const csv = `xm,sfzh,csrq\n张明,${GOOD[0]},1980-01-01\n李华,${BAD_CHECK},1980-13-01\n王明,${GOOD[1]},1981-02-03\n`;
    const file = await fileResource(server, csv, {
      items: [
        { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
        {
          name: '身份证号',
          field: 'sfzh',
          dataType: 'string',
          personal: true,
          personalKind: 'identity_document',
        },
        { name: '出生日期', field: 'csrq', dataType: 'date' },
      ],
      sharingType: 'unconditional',
      sharingMethods: ['api'],
    });
    const response = await call(file.steward, 'POST', `${base}/${file.code}/runs`);
    expect(response.statusCode, response.body).toBe(201);
    const run = response.json() as RunView;
    expect(run.status).toBe('succeeded');
    expect(result(run, 'validity', '身份证号', 'id_number')).toMatchObject({ checked: 3, failed: 1 });
    expect(result(run, 'validity', '出生日期', 'date')).toMatchObject({ checked: 3, failed: 1 });
    // Just uploaded: fresh against its monthly cycle.
    expect(result(run, 'timeliness')).toMatchObject({ checked: 1, failed: 0 });
    if (postgresUp)
      expectRefusal(
        await call(steward, 'POST', `${base}/${licences}/rules`, {
          kind: 'referential',
          item: '证照号',
          target: { resource: file.code, item: '身份证号' },
        }),
        'referential_across_sources',
      );
  });

  it.skipIf(!postgresUp)('records a failed run, not a zero score, when the source is down', async () => {
    const before = (await call(steward, 'GET', `${base}/${people}/score`)).json();
    const moved = await call(steward, 'PATCH', `/api/v1/sources/${pgSource}`, { port: 1 });
    expect(moved.statusCode, moved.body).toBe(200);
    try {
      const run = await runNow(people);
      expect(run).toMatchObject({
        status: 'failed',
        score: null,
        errorCode: 'source_unreachable',
        results: [],
      });
      const after = (await call(steward, 'GET', `${base}/${people}/score`)).json();
      expect(after).toMatchObject({
        score: before.score,
        lastRun: { status: 'failed', errorCode: 'source_unreachable' },
      });
      const scores = (await call(analyst, 'GET', '/api/v1/governance/quality/scores')).json();
      const dept = scores.departments.find((d: { orgId: string }) => d.orgId === orgId);
      expect(dept.score).not.toBe(0);
    } finally {
      await call(steward, 'PATCH', `/api/v1/sources/${pgSource}`, { port: 5432 });
    }
  });
});
