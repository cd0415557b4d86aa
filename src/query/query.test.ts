import { createHash } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildOrganization,
  buildResource,
  buildSharedResource,
  buildUser,
  TEST_PASSWORD,
} from '../../test/support/factories.js';
import {
  bearer,
  type Credentials,
  errorCode,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../test/support/http.js';
import { SERVICES, serviceAvailable } from '../../test/support/services.js';
import {
  makeIdNumber,
  mariadbEnterprises,
  peopleRows,
  postgresPeople,
} from '../../test/support/source-data.js';
import { describeEachStore } from '../../test/support/store.js';
import type { ResourceView } from '../catalog/index.js';
import { createSource } from '../sources/index.js';

const servicesUp = (await serviceAvailable('postgres')) && (await serviceAvailable('mariadb'));
const ID_MASK = /^\d{6}\*{8}\d{3}[\dX]$/;
const PEOPLE = peopleRows(12);

describe.skipIf(!servicesUp)('the query pipeline over PostgreSQL and MariaDB sources', () => {
  describeEachStore('query', (kind) => {
    let server: TestServer;
    let pg: Awaited<ReturnType<typeof postgresPeople>>;
    let maria: Awaited<ReturnType<typeof mariadbEnterprises>>;
    let people: ResourceView;
    let enterprises: ResourceView;
    let steward: Credentials;
    let marketSteward: Credentials;
    let analyst: Credentials;
    let appKey: string;
    let applicationId: string;

    const call = (as: Credentials | undefined, method: string, url: string, payload?: unknown) =>
      server.app.inject({
        method: method as 'GET',
        url,
        headers: as?.headers ?? {},
        payload: payload as object,
      });
    const rows = (as: Credentials | undefined, code: string, query = '') =>
      call(as, 'GET', `/api/v1/resources/${code}/rows${query}`);
    const sql = (as: Credentials, body: Record<string, unknown>) => call(as, 'POST', '/api/v1/query', body);

    beforeAll(async () => {
      server = await openTestServer(kind, { HUITONG_QUERY_TIMEOUT_SECONDS: '3' });
      const db = server.store.db;
      pg = await postgresPeople(PEOPLE.length);
      maria = await mariadbEnterprises(PEOPLE.slice(0, 3).map((p) => p[1]));
      const police = await buildOrganization(db, { name: `公安厅-${kind}-${pg.schema}` });
      const market = await buildOrganization(db, { name: `市场监管局-${kind}-${pg.schema}` });
      const consumer = await buildOrganization(db, { name: `民政厅-${kind}-${pg.schema}` });
      steward = await loginAs(
        server.app,
        (await buildUser(db, { orgId: police.id, roles: ['data_steward'] })).username,
        TEST_PASSWORD,
      );
      marketSteward = await loginAs(
        server.app,
        (await buildUser(db, { orgId: market.id, roles: ['data_steward'] })).username,
        TEST_PASSWORD,
      );
      analyst = await loginAs(
        server.app,
        (await buildUser(db, { orgId: consumer.id, roles: ['analyst'] })).username,
        TEST_PASSWORD,
      );
      const key = await buildApiKey(db, consumer.id);
      appKey = key.key;
      applicationId = key.application.id;

      const base = {
        host: SERVICES.postgres.host,
        port: SERVICES.postgres.port,
        user: 'postgres',
        tls: { mode: 'disable' as const },
        description: '',
      };
      const pgSource = await createSource(db, server.sources, {
        kind: 'postgres',
        name: '人口库',
        database: 'test',
        orgId: police.id,
        ...base,
      });
      const mySource = await createSource(db, server.sources, {
        ...base,
        kind: 'mysql',
        name: '主体库',
        port: SERVICES.mariadb.port,
        user: 'root',
        database: maria.database,
        orgId: market.id,
      });
      people = await buildSharedResource(db, police.id, {
        sharingType: 'conditional',
        sharingMethods: ['api', 'file', 'verification'],
      });
      enterprises = await buildResource(
        db,
        market.id,
        {
          items: [
            { name: '统一社会信用代码', field: 'tyshxydm', dataType: 'string' },
            { name: '企业名称', field: 'qymc', dataType: 'string' },
            {
              name: '法定代表人身份证号',
              field: 'fddbr_sfzh',
              dataType: 'string',
              personal: true,
              personalKind: 'identity_document',
            },
            { name: '注册资本', field: 'zczb', dataType: 'number' },
          ],
          sharingType: 'unconditional',
        },
        { publish: true },
      );
      const bound = await call(steward, 'PUT', `/api/v1/resources/${people.code}/binding`, {
        sourceId: pgSource.id,
        from: { kind: 'table', schema: pg.schema, table: 'people' },
      });
      expect(bound.statusCode, bound.body).toBe(200);
      expect(bound.json().proposals.find((p: { item: string }) => p.item === '身份证号').kind).not.toBeNull();
      const boundEnt = await call(marketSteward, 'PUT', `/api/v1/resources/${enterprises.code}/binding`, {
        sourceId: mySource.id,
        from: { kind: 'table', schema: maria.database, table: 'enterprises' },
      });
      expect(boundEnt.statusCode, boundEnt.body).toBe(200);
    });

    afterAll(async () => {
      await server?.close();
      await pg?.drop();
      await maria?.drop();
    });

    it('gives the provider its own rows in clear, with pushdown of filters, sort and paging', async () => {
      const all = await rows(steward, people.code, '?limit=5');
      expect(all.statusCode, all.body).toBe(200);
      expect(all.json().rows).toHaveLength(5);
      expect(all.json().rows[0].sfzh).toBe(PEOPLE[0]![1]);
      const next = await rows(steward, people.code, `?limit=5&cursor=${all.json().nextCursor}`);
      expect(next.json().rows[0].sfzh).toBe(PEOPLE[5]![1]);
      const filter = encodeURIComponent(JSON.stringify([{ column: 'qh', op: 'eq', value: '110105' }]));
      const filtered = await rows(steward, people.code, `?filter=${filter}&sort=-sfzh&fields=sfzh,qh`);
      expect(filtered.json().rows).toHaveLength(6);
      expect(Object.keys(filtered.json().rows[0])).toEqual(['sfzh', 'qh']);
      const injected = encodeURIComponent(
        JSON.stringify([{ column: 'qh', op: 'eq', value: "x' OR '1'='1" }]),
      );
      expect((await rows(steward, people.code, `?filter=${injected}`)).json().rows).toHaveLength(0);
      expect(errorCode(await rows(steward, people.code, '?fields=nope'))).toBe('unknown_field');
    });

    it('refuses a consumer without a grant, and hides the resource from its SQL', async () => {
      const refused = await rows(analyst, people.code);
      expect([refused.statusCode, errorCode(refused)]).toEqual([403, 'no_grant']);
      const hidden = await sql(analyst, { sql: `SELECT * FROM "${people.code}"` });
      const absent = await sql(analyst, { sql: 'SELECT * FROM "NO-SUCH-CODE"' });
      expect([hidden.statusCode, errorCode(hidden)]).toEqual([404, 'resource_not_found']);
      expect([absent.statusCode, errorCode(absent)]).toEqual([404, 'resource_not_found']);
      // It names the table as the SQL did, so the caller knows which one; absent and hidden alike.
      expect(hidden.json().error.message).toContain(people.code);
      expect(hidden.json().error.message.replace(people.code, 'X')).toBe(
        absent.json().error.message.replace('NO-SUCH-CODE', 'X'),
      );
    });

    it('grants unconditional data automatically, masking personal items by default', async () => {
      const response = await rows(bearer(appKey), enterprises.code);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().rows).toHaveLength(3);
      for (const row of response.json().rows) expect(row.fddbr_sfzh).toMatch(ID_MASK);
    });

    describe('with an approved, partial grant', () => {
      let grantId: string;
      beforeAll(async () => {
        const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
          applicationId,
          resourceCode: people.code,
          items: ['姓名', '身份证号', '手机号码', '区划'],
          purpose: '低保核查',
          legalBasis: '《社会救助暂行办法》',
          validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        });
        expect(requested.statusCode, requested.body).toBe(201);
        const approved = await call(
          steward,
          'POST',
          `/api/v1/access-requests/${requested.json().id}/approve`,
          {
            items: [{ name: '姓名' }, { name: '身份证号' }, { name: '区划' }],
            rowFilter: [{ item: '区划', op: 'eq', value: '350102' }],
            mayExport: true,
          },
        );
        expect(approved.statusCode, approved.body).toBe(200);
        grantId = approved.json().grant.id;
      });

      it('reads exactly the granted items of the granted rows, masked, by API', async () => {
        const response = await rows(bearer(appKey), people.code);
        expect(response.statusCode, response.body).toBe(200);
        const got = response.json().rows as Array<Record<string, string>>;
        expect(got).toHaveLength(6);
        for (const row of got) {
          expect(Object.keys(row).sort()).toEqual(['qh', 'sfzh', 'xm']);
          expect(row.qh).toBe('350102');
          expect(row.sfzh).toMatch(ID_MASK);
          expect(row.xm).toMatch(/^[张李王欧陈林]\*+$|^欧阳\*+$/);
        }
        expect(errorCode(await rows(bearer(appKey), people.code, '?fields=sjhm'))).toBe('unknown_field');
      });

      it('filters a masked column on its masked value only, and refuses to sort on it', async () => {
        const probe = encodeURIComponent(
          JSON.stringify([{ column: 'sfzh', op: 'like', pattern: '%1980010%' }]),
        );
        expect((await rows(bearer(appKey), people.code, `?filter=${probe}`)).json().rows).toHaveLength(0);
        const probeSql = await sql(bearer(appKey), {
          sql: "SELECT count(*) AS n FROM people WHERE sfzh LIKE '%1980010%'",
          aliases: { people: people.code },
        });
        expect(probeSql.json().rows).toEqual([{ n: 0 }]);
        expect(errorCode(await rows(bearer(appKey), people.code, '?sort=sfzh'))).toBe(
          'masked_field_not_sortable',
        );
      });

      it('reads every granted column under a star with EXCLUDE or REPLACE', async () => {
        const response = await sql(bearer(appKey), {
          sql: "SELECT * EXCLUDE (sfzh) REPLACE ('x' AS xm) FROM people",
          aliases: { people: people.code },
        });
        expect(response.statusCode, response.body).toBe(200);
        const got = response.json().rows as Array<Record<string, string>>;
        expect(got).toHaveLength(6);
        for (const row of got) expect(row).toEqual({ xm: 'x', qh: '350102' });
      });

      it('joins resources of two departments in SQL, across PostgreSQL and MariaDB, still masked', async () => {
        const response = await sql(bearer(appKey), {
          sql: 'SELECT e.qymc, p.xm, p.sfzh FROM people p JOIN ent e ON e.fddbr_sfzh = p.sfzh ORDER BY e.qymc',
          aliases: { people: people.code, ent: enterprises.code },
        });
        expect(response.statusCode, response.body).toBe(200);
        const got = response.json().rows as Array<Record<string, string>>;
        // Owners are people 0, 1 and 2; the grant's row filter keeps 350102, i.e. people 0 and 2.
        expect(got.map((r) => r.qymc)).toEqual(['测试企业0', '测试企业2']);
        for (const row of got) expect(row.sfzh).toMatch(ID_MASK);
      });

      it('exports CSV, NDJSON, XLSX, Parquet and Arrow, each logged with the SHA-256 of what left', async () => {
        const csv = await rows(bearer(appKey), people.code, '?format=csv&bom=1');
        expect(csv.statusCode, csv.body).toBe(200);
        expect(csv.headers['content-type']).toContain('text/csv');
        expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        expect(csv.body.trim().split('\r\n')).toHaveLength(7);
        // Field names by default (programs); the items' names, or both rows, on request.
        expect(csv.body.slice(1).split('\r\n')[0]).toMatch(/^xm,sfzh,/);
        const page = await rows(bearer(appKey), people.code, '?limit=1');
        expect(page.json().columns[0]).toMatchObject({ name: 'xm', label: '姓名' });
        const named = await rows(bearer(appKey), people.code, '?format=csv&header=name');
        expect(named.body.split('\r\n')[0]).toMatch(/^姓名,身份证号,/);
        const both = await rows(bearer(appKey), people.code, '?format=csv&header=both');
        expect(both.body.split('\r\n').slice(0, 2)).toEqual([
          expect.stringMatching(/^姓名,身份证号,/),
          expect.stringMatching(/^xm,sfzh,/),
        ]);
        const sha = createHash('sha256').update(csv.rawPayload).digest('hex');
        const entries = await server.audit.entries({ type: 'data.release.complete' }, { limit: 200 });
        const completion = entries.items.find((e) => e.data.sha256 === sha);
        expect(completion?.data).toMatchObject({ rows: 6, bytes: csv.rawPayload.length, status: 'complete' });
        const start = await server.audit.entry(completion!.ref!);
        expect(start?.type).toBe('data.release.start');
        expect(start?.data).toMatchObject({ grantId, format: 'csv' });

        const ndjson = await rows(bearer(appKey), people.code, '?format=ndjson');
        expect(ndjson.body.trim().split('\n')).toHaveLength(6);
        const xlsx = await rows(bearer(appKey), people.code, '?format=xlsx');
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
        // People read the items' names, programs the field names under them.
        const sheet = workbook.getWorksheet('data')!;
        expect(sheet.rowCount).toBe(8);
        expect((sheet.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['姓名', '身份证号']);
        expect((sheet.getRow(2).values as unknown[]).slice(1, 3)).toEqual(['xm', 'sfzh']);
        const arrow = await rows(bearer(appKey), people.code, '?format=arrow');
        expect(tableFromIPC(arrow.rawPayload).numRows).toBe(6);
        const parquet = await sql(bearer(appKey), {
          sql: 'SELECT xm, sfzh FROM people',
          aliases: { people: people.code },
          format: 'parquet',
        });
        expect(parquet.statusCode, parquet.body).toBe(200);
        const duck = await (await DuckDBInstance.create(':memory:')).connect();
        const file = `/tmp/huitong-${grantId}.parquet`;
        await (await import('node:fs/promises')).writeFile(file, parquet.rawPayload);
        const read = (
          await duck.runAndReadAll(
            `SELECT count(*)::INTEGER AS n, bool_and(regexp_matches(sfzh, '^\\d{6}\\*{8}')) AS masked FROM '${file}'`,
          )
        ).getRowObjects();
        expect(read).toEqual([{ n: 6, masked: true }]);
      });

      it('verifies a claim without handing over the record', async () => {
        const [name, id] = [PEOPLE[0]![0], PEOPLE[0]![1]];
        const yes = await call(bearer(appKey), 'POST', `/api/v1/resources/${people.code}/verify`, {
          values: { 身份证号: id, 姓名: name },
        });
        expect(yes.json()).toEqual({ match: true });
        const no = await call(bearer(appKey), 'POST', `/api/v1/resources/${people.code}/verify`, {
          values: { 身份证号: id, 姓名: '冒名' },
        });
        expect(no.json()).toEqual({ match: false });
        // The grant masks both items: which of them is wrong is not said.
        const perItem = await call(bearer(appKey), 'POST', `/api/v1/resources/${people.code}/verify`, {
          values: { 身份证号: id, 姓名: '冒名' },
          perItem: true,
        });
        expect([perItem.statusCode, errorCode(perItem)]).toEqual([403, 'per_item_not_allowed']);
        // The region is granted in clear: a per-item answer on it alone is given.
        const region = await call(bearer(appKey), 'POST', `/api/v1/resources/${people.code}/verify`, {
          values: { 区划: '350102' },
          perItem: true,
        });
        expect(region.json()).toEqual({ match: true, items: { 区划: true } });
        expect(JSON.stringify(no.json())).not.toContain(name);
        // No record under the key, a record outside the grant's row filter (person 1 lives in
        // 110105), and an empty cell (NULL is not the claim "null"): none matches, none fails.
        const absent = makeIdNumber('350102', '19990101', 999);
        const lone = makeIdNumber('350102', '19990202', 998);
        await pg.client.query(`INSERT INTO ${pg.schema}.people (xm, sfzh, qh) VALUES (NULL, $1, '350102')`, [
          lone,
        ]);
        try {
          for (const values of [
            { 身份证号: absent, 姓名: name },
            { 身份证号: PEOPLE[1]![1], 姓名: PEOPLE[1]![0] },
            { 身份证号: lone, 姓名: 'null' },
          ]) {
            const answer = await call(bearer(appKey), 'POST', `/api/v1/resources/${people.code}/verify`, {
              values,
            });
            expect([answer.statusCode, answer.json()], JSON.stringify(values)).toEqual([
              200,
              { match: false },
            ]);
          }
        } finally {
          await pg.client.query(`DELETE FROM ${pg.schema}.people WHERE sfzh = $1`, [lone]);
        }
        // A source that fails during the check: a coded error, and the entry written before the
        // read is completed as failed.
        await pg.client.query(`ALTER TABLE ${pg.schema}.people RENAME TO people_away`);
        try {
          const failed = await call(bearer(appKey), 'POST', `/api/v1/resources/${people.code}/verify`, {
            values: { 身份证号: id, 姓名: name },
          });
          // Which of the two codes depends on whether the table's description is still in the
          // metadata cache (HUITONG_METADATA_CACHE_MS) when the read fails: both name the change.
          expect(failed.statusCode).toBe(400);
          expect(['source_schema_changed', 'unknown_table']).toContain(errorCode(failed));
          if (errorCode(failed) === 'source_schema_changed') {
            const logged = (await server.audit.entries({}, { limit: 500 })).items.filter(
              (e) => e.requestId === failed.headers['x-request-id'] && e.type.startsWith('data.release'),
            );
            expect(logged.map((e) => [e.type, e.data.status, e.data.error])).toEqual([
              ['data.release.start', undefined, undefined],
              ['data.release.complete', 'failed', errorCode(failed)],
            ]);
          }
        } finally {
          await pg.client.query(`ALTER TABLE ${pg.schema}.people_away RENAME TO people`);
        }
        // A claim names 1 to 20 items: 0 and 21 are malformed; 20 are read, and an item that cannot
        // be verified here is named.
        const verify = (values: Record<string, string>) =>
          call(bearer(appKey), 'POST', `/api/v1/resources/${people.code}/verify`, { values });
        const items = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`项${i}`, 'x']));
        for (const values of [{}, items(21)]) {
          const refused = await verify(values);
          expect([refused.statusCode, errorCode(refused)]).toEqual([400, 'invalid_request']);
        }
        const unknown = await verify(items(20));
        expect([unknown.statusCode, errorCode(unknown)]).toEqual([400, 'unknown_item']);
        expect(unknown.json().error).toMatchObject({
          message: '项0 cannot be verified here',
          details: { item: '项0' },
        });
      });

      it('stops on the next request once the grant is revoked', async () => {
        expect((await rows(bearer(appKey), people.code)).statusCode).toBe(200);
        const revoked = await call(steward, 'POST', `/api/v1/grants/${grantId}/revoke`, {
          reason: '用途已结束',
        });
        expect(revoked.statusCode, revoked.body).toBe(200);
        const after = await rows(bearer(appKey), people.code);
        expect([after.statusCode, errorCode(after)]).toEqual([403, 'grant_revoked']);
      });
    });

    it('joins a PostgreSQL table, a MariaDB table and an uploaded XLSX in one query', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('用电');
      sheet.addRow(['tyshxydm', 'ydl']);
      for (let i = 0; i < 3; i++) sheet.addRow([`91350100MA${String(i).padStart(8, '0')}`, 100 * (i + 1)]);
      const upload = await server.app.inject({
        method: 'POST',
        url: '/api/v1/sources/files?name=power-xlsx',
        headers: {
          ...marketSteward.headers,
          'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        },
        payload: Buffer.from(await workbook.xlsx.writeBuffer()),
      });
      expect(upload.statusCode, upload.body).toBe(201);
      const power = await buildResource(
        server.store.db,
        enterprises.provider.id,
        {
          items: [
            { name: '统一社会信用代码', field: 'tyshxydm', dataType: 'string' },
            { name: '用电量', field: 'ydl', dataType: 'number' },
          ],
          sharingType: 'unconditional',
        },
        { publish: true },
      );
      const bound = await call(marketSteward, 'PUT', `/api/v1/resources/${power.code}/binding`, {
        sourceId: upload.json().source.id,
        from: { kind: 'table', table: 'data' },
      });
      expect(bound.statusCode, bound.body).toBe(200);
      // The police steward holds its people's ID numbers in clear and sees the market's owners
      // masked; it joins by masking its own side the same way (first 6, last 4).
      const response = await sql(steward, {
        sql: `SELECT p.qh, e.qymc, w.ydl FROM people p
              JOIN ent e ON e.fddbr_sfzh = left(p.sfzh, 6) || '********' || right(p.sfzh, 4)
              JOIN power w ON w.tyshxydm = e.tyshxydm ORDER BY w.ydl`,
        aliases: { people: people.code, ent: enterprises.code, power: power.code },
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().rows).toEqual([
        { qh: '350102', qymc: '测试企业0', ydl: 100 },
        { qh: '110105', qymc: '测试企业1', ydl: 200 },
        { qh: '350102', qymc: '测试企业2', ydl: 300 },
      ]);
      const masked = await sql(bearer(appKey), {
        sql: `SELECT e.qymc, w.ydl FROM ent e JOIN power w ON w.tyshxydm = e.tyshxydm ORDER BY w.ydl`,
        aliases: { ent: enterprises.code, power: power.code },
      });
      expect(masked.json().rows).toEqual([
        { qymc: '测试企业0', ydl: 100 },
        { qymc: '测试企业1', ydl: 200 },
        { qymc: '测试企业2', ydl: 300 },
      ]);
    });

    it('refuses every sandbox escape with a 4xx and a code', async () => {
      const cases: Array<[string, string]> = [
        ["SELECT * FROM read_csv('/etc/passwd')", 'table_function_forbidden'],
        ["ATTACH '/tmp/x.db'", 'not_a_select'],
        ["COPY (SELECT 1) TO '/tmp/x.csv'", 'not_a_select'],
        ['INSTALL httpfs', 'not_a_select'],
        ['SET enable_external_access = true', 'not_a_select'],
        ['PRAGMA database_list', 'not_a_select'],
        ['SELECT * FROM duckdb_settings()', 'table_function_forbidden'],
        ["SELECT * FROM read_parquet('http://127.0.0.1:1/x')", 'table_function_forbidden'],
        [
          `SELECT count(*) FROM (SELECT unnest(range(1000000000)) FROM "${people.code}")`,
          'function_forbidden',
        ],
        [`SELECT length(repeat(xm, 2000000000)) FROM "${people.code}"`, 'function_forbidden'],
      ];
      for (const [text, code] of cases) {
        const response = await sql(steward, { sql: text });
        expect([response.statusCode, errorCode(response)], text).toEqual([400, code]);
      }
      // The runaway reads a resource: one that reads none is refused before it runs (below).
      const runaway = await sql(steward, {
        sql: `WITH RECURSIVE t(n) AS (SELECT count(*) FROM "${people.code}" UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t`,
      });
      expect([400]).toContain(runaway.statusCode);
      expect(['query_timeout', 'query_memory_exceeded']).toContain(errorCode(runaway));
    }, 120_000);

    it('refuses a SELECT that reads no resource before running it, in the caller’s language', async () => {
      for (const text of ['SELECT 1', 'WITH t AS (SELECT 1 AS a) SELECT * FROM t']) {
        const response = await sql(steward, { sql: text });
        expect([response.statusCode, errorCode(response)], text).toEqual([400, 'no_resource']);
        expect(response.json().error.message).toMatch(/at least one resource/);
      }
      const zh = await server.app.inject({
        method: 'POST',
        url: '/api/v1/query',
        headers: { ...steward.headers, 'accept-language': 'zh-CN' },
        payload: { sql: 'SELECT 1' },
      });
      expect(zh.json().error).toMatchObject({ code: 'no_resource', message: expect.stringMatching(/资源/) });
    });

    it('refuses anonymous callers on data that is not open', async () => {
      const response = await rows(undefined, people.code);
      expect([401, 404]).toContain(response.statusCode);
    });
  });
});
