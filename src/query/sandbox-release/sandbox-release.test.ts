import { randomBytes } from 'node:crypto';
import { sql as rawSql } from 'kysely';
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
import { createSource } from '../../sources/index.js';
import { sealClearHeldRows } from './held-rows.js';

// Forty 低保 recipients in a PostgreSQL source: 24 in 鼓楼区 (one of them the only man there),
// 13 in 台江区, 3 in 晋安区. Their names and ID numbers are the canaries: no answer may carry one.
const PEOPLE = Array.from({ length: 40 }, (_, i) => ({
  xm: `沙箱户${String(i).padStart(2, '0')}`,
  sfzh: makeIdNumber('350102', '19700101', i + 1),
  qh: i < 24 ? '鼓楼区' : i < 37 ? '台江区' : '晋安区',
  xb: i === 5 ? '男' : i < 24 ? '女' : i % 2 ? '男' : '女',
  je: 300 + ((i * 37) % 500),
}));
const LONE_MAN = PEOPLE[5]!;

const servicesUp = await serviceAvailable('postgres');

describe.skipIf(!servicesUp)('可用不可见: the sandbox mode of SQL over a PostgreSQL source', () => {
  describeEachStore('sandbox release', (kind) => {
    let server: TestServer;
    let client: pg.Client;
    let schema: string;
    let code: string;
    let steward: Credentials;
    let analyst: Credentials;
    let key: Credentials;
    let applicationId: string;

    const call = (as: Credentials, method: string, url: string, payload?: unknown) =>
      server.app.inject({ method: method as 'GET', url, headers: as.headers, payload: payload as object });
    const sql = (text: string, as: Credentials = key) =>
      call(as, 'POST', '/api/v1/query', { sql: text, aliases: { t: code } });
    const noCanary = (body: string) => {
      for (const p of PEOPLE) {
        expect(body).not.toContain(p.xm);
        expect(body).not.toContain(p.sfzh);
      }
    };

    beforeAll(async () => {
      server = await openTestServer(kind);
      const db = server.store.db;
      schema = `src_${randomBytes(5).toString('hex')}`;
      client = new pg.Client({ connectionString: SERVICES.postgres.url });
      await client.connect();
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`CREATE TABLE ${schema}.dibao (xm text, sfzh text, qh text, xb text, je integer)`);
      for (const p of PEOPLE)
        await client.query(`INSERT INTO ${schema}.dibao VALUES ($1,$2,$3,$4,$5)`, [
          p.xm,
          p.sfzh,
          p.qh,
          p.xb,
          p.je,
        ]);
      const civil = await buildOrganization(db, { name: `民政厅-${kind}-${schema}` });
      const bureau = await buildOrganization(db, { name: `统计局-${kind}-${schema}` });
      steward = await loginAs(
        server.app,
        (await buildUser(db, { orgId: civil.id, roles: ['data_steward'] })).username,
        TEST_PASSWORD,
      );
      analyst = await loginAs(
        server.app,
        (await buildUser(db, { orgId: bureau.id, roles: ['analyst'] })).username,
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
          items: [
            { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
            {
              name: '身份证号',
              field: 'sfzh',
              dataType: 'string',
              personal: true,
              personalKind: 'identity_document',
            },
            { name: '区划', field: 'qh', dataType: 'string' },
            { name: '性别', field: 'xb', dataType: 'string', personal: true, personalKind: 'basic' },
            { name: '保障金额', field: 'je', dataType: 'number' },
          ],
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
      const app = await buildApiKey(db, bureau.id);
      key = bearer(app.key);
      applicationId = app.application.id;
      const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
        applicationId: app.application.id,
        resourceCode: code,
        items: ['姓名', '身份证号', '区划', '性别', '保障金额'],
        purpose: '低保资金分布分析',
        legalBasis: '《社会救助暂行办法》',
        use: 'sandbox',
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      });
      expect(requested.statusCode, requested.body).toBe(201);
      // Unmasked: the analyst computes over the clear rows, and sees none of them.
      const approved = await call(steward, 'POST', `/api/v1/access-requests/${requested.json().id}/approve`, {
        items: ['姓名', '身份证号', '区划', '性别', '保障金额'].map((name) => ({
          name,
          mask: { kind: 'none' },
        })),
      });
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json().grant.use).toBe('sandbox');
    }, 120_000);

    afterAll(async () => {
      await server?.close();
      await client?.query(`DROP SCHEMA ${schema} CASCADE`);
      await client?.end();
    });

    it('releases grouped aggregates of at least k rows, suppressing tiny groups and the group that would reveal them', async () => {
      const answer = await sql('SELECT qh, count(*) AS n, avg(je) AS mean FROM t GROUP BY qh ORDER BY qh');
      expect(answer.statusCode, answer.body).toBe(200);
      const body = answer.json();
      // 晋安区 (3) is under k = 10; 台江区 (13) goes too, or the total minus the rest would give 晋安区.
      expect(body.rows).toEqual([{ qh: '鼓楼区', n: 24, mean: expect.any(Number) }]);
      expect(body.check).toMatchObject({ outcome: 'released', minGroupSize: 10, suppressedRows: 2 });
      // Each check says why as a code and its figures (the console's Chinese), beside the English.
      expect(body.check.checks.find((c: { name: string }) => c.name === 'minimum_group_size')).toEqual({
        name: 'minimum_group_size',
        passed: true,
        detail: expect.stringContaining('rows under 10 source rows withheld: 1'),
        reasons: [
          {
            code: 'small_groups_suppressed',
            params: { k: 10, primary: 1, secondary: 1 },
            detail: expect.any(String),
          },
        ],
      });
      expect(body.columns.map((c: { name: string }) => c.name)).toEqual(['qh', 'n', 'mean']);
      noCanary(answer.body);
      // The whole table aggregates 40 rows: it leaves.
      const total = await sql('SELECT count(*) AS n, round(avg(je), 2) AS mean FROM t');
      expect(total.json().rows).toEqual([{ n: 40, mean: expect.any(Number) }]);
    });

    it('withholds an average over one row, and a tiny group asked by its condition', async () => {
      const one = await sql(`SELECT avg(je) AS mean FROM t WHERE qh = '晋安区' AND je = ${PEOPLE[37]!.je}`);
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json().rows).toEqual([]);
      expect(one.json().check.suppressedRows).toBe(1);
      const tiny = await sql(`SELECT qh, sum(je) FROM t WHERE qh = '晋安区' GROUP BY qh`);
      expect(tiny.json().rows).toEqual([]);
      expect(tiny.body).not.toContain(String(PEOPLE.slice(37).reduce((s, p) => s + p.je, 0)));
    });

    it('refuses row-level output and identifying items outright, before anything is read', async () => {
      expectRefusal(await sql('SELECT * FROM t'), 'sandbox_row_level_output');
      expectRefusal(await sql('SELECT qh, je FROM t'), 'sandbox_row_level_output');
      expectRefusal(await sql('SELECT DISTINCT qh FROM t'), 'sandbox_row_level_output');
      expectRefusal(await sql('SELECT sfzh, count(*) FROM t GROUP BY sfzh'), 'sandbox_identifying_output');
      expectRefusal(await sql('SELECT xm, avg(je) FROM t GROUP BY 1'), 'sandbox_identifying_output');
      expectRefusal(await sql('SELECT count(*) FROM t GROUP BY xm'), 'sandbox_identifying_output');
      expectRefusal(await sql('SELECT count(*) AS __ht_rows FROM t'), 'sandbox_reserved_name');
      const file = await call(key, 'POST', '/api/v1/query', {
        sql: 'SELECT count(*) FROM t',
        aliases: { t: code },
        format: 'csv',
      });
      expectRefusal(file, 'sandbox_json_only');
      // Counting an identifying item is an aggregate like any other.
      const counted = await sql('SELECT count(DISTINCT sfzh) AS people FROM t');
      expect(counted.json().rows).toEqual([{ people: 40 }]);
    });

    it('holds a differencing attack for review: a condition that isolates one person is not released', async () => {
      const all = await sql(`SELECT count(*) AS n, sum(je) AS total FROM t WHERE qh = '鼓楼区'`);
      expect(all.statusCode, all.body).toBe(200);
      // The same minus the only man of 鼓楼区: the difference would be his allowance.
      const minusOne = await sql(
        `SELECT count(*) AS n, sum(je) AS total FROM t WHERE qh = '鼓楼区' AND xb <> '男'`,
      );
      expect(minusOne.statusCode, minusOne.body).toBe(202);
      const held = minusOne.json();
      expect(held.review.status).toBe('pending');
      expect(held.check.outcome).toBe('held_for_review');
      expect(held.check.checks.find((c: { name: string }) => c.name === 'condition_effect').passed).toBe(
        false,
      );
      expect(held).not.toHaveProperty('rows');
      expect(minusOne.body).not.toContain(String(all.json().rows[0].total - LONE_MAN.je));
      // Grouping instead of filtering: per group, the condition's effect is measured too.
      const grouped = await sql(`SELECT qh, sum(je) FROM t WHERE xb = '女' GROUP BY qh`);
      expect(grouped.statusCode, grouped.body).toBe(202);
      // A condition on an identifying item singles out by construction.
      const named = await sql(`SELECT count(*), avg(je) FROM t WHERE xm <> '${LONE_MAN.xm}'`);
      expect(named.statusCode, named.body).toBe(202);
      noCanary(named.body);
    });

    it('holds shapes the checks cannot vouch for: max, an aggregate of an expression, a join, a window', async () => {
      for (const text of [
        'SELECT qh, max(je) FROM t GROUP BY qh',
        `SELECT sum(CASE WHEN xb = '男' THEN je END) FROM t`,
        'SELECT count(*) FROM t a JOIN t b ON a.qh = b.qh',
        'SELECT qh, count(*) FROM t GROUP BY qh HAVING count(*) > 1',
        'SELECT count(*) FROM (SELECT qh FROM t) s',
      ]) {
        const answer = await sql(text);
        expect(answer.statusCode, `${text}: ${answer.body}`).toBe(202);
        expect(answer.json()).not.toHaveProperty('rows');
      }
      const join = await sql('SELECT count(*) FROM t a JOIN t b ON a.qh = b.qh');
      const shape = join.json().check.checks.find((c: { name: string }) => c.name === 'checkable_shape');
      expect(shape).toEqual({
        name: 'checkable_shape',
        passed: false,
        detail: 'unchecked_shape: join',
        reasons: [{ code: 'unchecked_shape', params: { construct: 'join' }, detail: 'join' }],
      });
    });

    it('refuses an answer too large to be checked whole, and a query across two providers', async () => {
      // 40³ groups: more than the 10,000 rows an answer is held and checked as.
      const huge = await sql('SELECT a.je, b.je, c.je, count(*) FROM t a, t b, t c GROUP BY 1, 2, 3');
      expectRefusal(huge, 'sandbox_answer_too_large');
      // Another provider's resource, granted to the same application for sandbox use too.
      const db = server.store.db;
      const health = await buildOrganization(db, { name: `卫健委-${kind}-${schema}` });
      const healthSteward = await loginAs(
        server.app,
        (await buildUser(db, { orgId: health.id, roles: ['data_steward'] })).username,
        TEST_PASSWORD,
      );
      const upload = await server.app.inject({
        method: 'POST',
        url: '/api/v1/sources/files?name=clinics',
        headers: { ...healthSteward.headers, 'content-type': 'text/csv' },
        payload: 'qh,beds\n鼓楼区,10\n台江区,20\n',
      });
      expect(upload.statusCode, upload.body).toBe(201);
      const clinics = await buildResource(
        db,
        health.id,
        {
          items: [
            { name: '区划', field: 'qh', dataType: 'string' },
            { name: '床位', field: 'beds', dataType: 'number' },
          ],
          sharingType: 'conditional',
          sharingConditions: '用于统计分析',
          sharingMethods: ['api'],
        },
        { publish: true },
      );
      const bound = await call(healthSteward, 'PUT', `/api/v1/resources/${clinics.code}/binding`, {
        sourceId: upload.json().source.id,
        from: { kind: 'table', table: 'data' },
      });
      expect(bound.statusCode, bound.body).toBe(200);
      const requested = await call(analyst, 'POST', '/api/v1/access-requests', {
        applicationId,
        resourceCode: clinics.code,
        items: ['区划', '床位'],
        purpose: '医疗资源与低保分布',
        legalBasis: '《社会救助暂行办法》',
        use: 'sandbox',
        validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      });
      expect(requested.statusCode, requested.body).toBe(201);
      const approved = await call(
        healthSteward,
        'POST',
        `/api/v1/access-requests/${requested.json().id}/approve`,
        {},
      );
      expect(approved.statusCode, approved.body).toBe(200);
      const both = await call(key, 'POST', '/api/v1/query', {
        sql: 'SELECT count(*) FROM t JOIN c ON t.qh = c.qh',
        aliases: { t: code, c: clinics.code },
      });
      expectRefusal(both, 'sandbox_single_provider');
    });

    it('shows a report stored before checks had reasons with none, its English detail as it was', async () => {
      const held = await sql(`SELECT qh, max(je) FROM t GROUP BY qh`);
      const id = held.json().review.id;
      const before = {
        ...held.json().check,
        checks: held.json().check.checks.map(({ reasons: _, ...check }: { reasons: unknown }) => check),
      };
      await server.store.db
        .updateTable('release_reviews')
        .set({ report: JSON.stringify(before) })
        .where('id', '=', id)
        .execute();
      const shown = await call(steward, 'GET', `/api/v1/release-reviews/${id}`);
      expect(shown.statusCode, shown.body).toBe(200);
      expect(shown.json().check.checks).toEqual(
        before.checks.map((check: object) => ({ ...check, reasons: [] })),
      );
      const result = await call(steward, 'GET', `/api/v1/release-reviews/${id}/result`);
      expect(result.json().check.checks[1]).toMatchObject({ name: 'checkable_shape', reasons: [] });
    });

    it('keeps a held answer sealed at rest, bound to its review: the steward and the approved analyst read it, a tampered one is refused', async () => {
      // max() holds the answer; scaled by 7919, each value is one no query text or report carries.
      const scaled = new Set(
        ['鼓楼区', '台江区', '晋安区'].map(
          (qh) => Math.max(...PEOPLE.filter((p) => p.qh === qh).map((p) => p.je)) * 7919,
        ),
      );
      const held = await sql('SELECT qh, max(je) * 7919 AS m FROM t GROUP BY qh ORDER BY qh');
      expect(held.statusCode, held.body).toBe(202);
      const id = held.json().review.id;
      const seen = await call(steward, 'GET', `/api/v1/release-reviews/${id}/result`);
      expect(seen.statusCode, seen.body).toBe(200);
      const values = seen.json().rows.map((r: { m: unknown }) => String(r.m));
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) expect(scaled.has(Number(value)), value).toBe(true);
      // The table itself, read as the database holds it: no held value, and no clear rows.
      const stored = async (reviewId: string) =>
        (
          await rawSql<{ text: string; sealed: string | null; rows: unknown }>`
            SELECT row_to_json(r)::text AS text, r.sealed_rows AS sealed, r.rows
            FROM release_reviews r WHERE r.id = ${reviewId}`.execute(server.store.db)
        ).rows[0]!;
      const atRest = await stored(id);
      for (const value of values) expect(atRest.text).not.toContain(value);
      expect(atRest.rows).toBeNull();
      expect(atRest.sealed).toMatch(/^v1\./);
      const listed = await call(steward, 'GET', `/api/v1/release-reviews/${id}`);
      expect(listed.json().rows).toBe(values.length);

      const approved = await call(steward, 'POST', `/api/v1/release-reviews/${id}/approve`, {});
      expect(approved.statusCode, approved.body).toBe(200);
      const released = await call(key, 'GET', `/api/v1/release-reviews/${id}/result`);
      expect(released.statusCode, released.body).toBe(200);
      expect(released.json().rows).toEqual(seen.json().rows);

      // Tampered, or another review's sealed rows copied onto this one: refused with the code only.
      const other = (await sql('SELECT qh, max(je) FROM t GROUP BY qh')).json().review.id;
      const [version, iv, tag, body] = atRest.sealed!.split('.');
      // The first character: all six of its bits are the ciphertext's (the last may be padding).
      const flipped = `${body!.startsWith('A') ? 'B' : 'A'}${body!.slice(1)}`;
      for (const [target, forged] of [
        [id, [version, iv, tag, flipped].join('.')],
        [other, atRest.sealed!],
      ] as const) {
        await server.store.db
          .updateTable('release_reviews')
          .set({ sealed_rows: forged })
          .where('id', '=', target)
          .execute();
        const refused = await call(steward, 'GET', `/api/v1/release-reviews/${target}/result`);
        expectRefusal(refused, 'held_result_unreadable');
        expect(refused.statusCode).toBe(500);
        expect(refused.body).not.toContain(forged.split('.')[3]!.slice(0, 16));
        expect(refused.body).not.toMatch(/ at |stack|decipher|auth/i);
        // The failed read is in the log: its release entry completes as failed, with the code.
        const requestId = String(refused.headers['x-request-id']);
        const entries = (await server.audit.entries({}, { limit: 1000 })).items.filter(
          (e) => e.requestId === requestId && e.type.startsWith('data.release'),
        );
        expect(entries.map((e) => e.type)).toEqual(['data.release.start', 'data.release.complete']);
        expect(entries[1]!.data).toMatchObject({
          rows: 0,
          status: 'failed',
          error: 'held_result_unreadable',
        });
      }
    });

    it('reads a held answer stored in clear before sealing as it was, and seals it when the platform starts', async () => {
      const held = await sql('SELECT xb, max(je) AS m FROM t GROUP BY xb ORDER BY xb');
      const id = held.json().review.id;
      const seen = (await call(steward, 'GET', `/api/v1/release-reviews/${id}/result`)).json().rows;
      // As migration 0015 leaves a row held before it: the rows in clear, nothing sealed.
      const clear = seen.map((r: { xb: string; m: number }) => [r.xb, r.m * 7919]);
      await server.store.db
        .updateTable('release_reviews')
        .set({ rows: JSON.stringify(clear), sealed_rows: null })
        .where('id', '=', id)
        .execute();
      const read = async () =>
        (await call(steward, 'GET', `/api/v1/release-reviews/${id}/result`)).json().rows;
      const expected = clear.map(([xb, m]: [string, number]) => ({ xb, m }));
      expect(await read()).toEqual(expected);
      // recoverPlatform (serve's start) seals it: then nothing of it is left in clear, and it reads alike.
      expect(await sealClearHeldRows(server.store.db, server.query.heldRowsKey)).toBeGreaterThanOrEqual(1);
      const atRest = await server.store.db
        .selectFrom('release_reviews')
        .select(['rows', 'sealed_rows'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(atRest.rows).toBeNull();
      expect(atRest.sealed_rows).not.toContain(String(clear[0][1]));
      expect(await read()).toEqual(expected);
      expect(await sealClearHeldRows(server.store.db, server.query.heldRowsKey)).toBe(0);
    });

    it('lets the provider steward release or refuse a held answer; the analyst reads it only once approved', async () => {
      const submitted = await sql(
        `SELECT count(*) AS n, sum(je) AS total FROM t WHERE qh = '鼓楼区' AND xb = '女'`,
      );
      expect(submitted.statusCode, submitted.body).toBe(202);
      const id = submitted.json().review.id;
      // The analyst follows its status, without the rows.
      const mine = await call(analyst, 'GET', '/api/v1/release-reviews');
      expect(mine.json().items.map((r: { id: string }) => r.id)).toContain(id);
      expectRefusal(await call(key, 'GET', `/api/v1/release-reviews/${id}/result`), 'release_review_pending');
      expectRefusal(
        await call(analyst, 'POST', `/api/v1/release-reviews/${id}/approve`, {}),
        'release_review_not_found',
      );
      // The steward's queue, the held rows and the report.
      const queue = await call(steward, 'GET', '/api/v1/release-reviews?side=provider&status=pending');
      const item = queue.json().items.find((r: { id: string }) => r.id === id);
      expect(item).toMatchObject({ status: 'pending', resources: [code], rows: 1 });
      expect(item.check.checks.find((c: { name: string }) => c.name === 'condition_effect')).toMatchObject({
        passed: false,
        reasons: [{ code: 'low_effect_condition', params: { k: 10, conditions: [1, 2] } }],
      });
      const seen = await call(steward, 'GET', `/api/v1/release-reviews/${id}/result`);
      expect(seen.statusCode, seen.body).toBe(200);
      expect(seen.json().rows).toEqual([{ n: 23, total: expect.any(Number) }]);
      const approved = await call(steward, 'POST', `/api/v1/release-reviews/${id}/approve`, {
        reason: '用于区级汇总',
      });
      expect(approved.json()).toMatchObject({ status: 'approved', reason: '用于区级汇总' });
      expectRefusal(
        await call(steward, 'POST', `/api/v1/release-reviews/${id}/refuse`, { reason: 'x' }),
        'release_review_decided',
      );
      const released = await call(key, 'GET', `/api/v1/release-reviews/${id}/result`);
      expect(released.statusCode, released.body).toBe(200);
      expect(released.json().rows).toEqual(seen.json().rows);
      // Submit, approve and the release to the analyst are in the log, the release with its entry first.
      const entries = (await server.audit.entries({}, { limit: 1000 })).items;
      const ofReview = entries
        .filter((e) => (e.data as { reviewId?: string }).reviewId === id)
        .map((e) => e.type);
      expect(ofReview).toEqual(
        expect.arrayContaining(['release_review.submitted', 'release_review.approved']),
      );
      const requestId = String(released.headers['x-request-id']);
      const release = entries.filter((e) => e.requestId === requestId && e.type.startsWith('data.release'));
      expect(release.map((e) => e.type)).toEqual(['data.release.start', 'data.release.complete']);
      expect(release[1]!.data).toMatchObject({ rows: 1, status: 'complete' });

      const other = await sql(`SELECT qh, avg(je) FROM t WHERE xb = '女' GROUP BY qh`);
      const otherId = other.json().review.id;
      expectRefusal(
        await call(steward, 'POST', `/api/v1/release-reviews/${otherId}/refuse`, {}),
        'invalid_request',
      );
      const refused = await call(steward, 'POST', `/api/v1/release-reviews/${otherId}/refuse`, {
        reason: '条件仅排除少数人，存在差分风险',
      });
      expect(refused.json()).toMatchObject({ status: 'refused', reason: '条件仅排除少数人，存在差分风险' });
      expectRefusal(
        await call(key, 'GET', `/api/v1/release-reviews/${otherId}/result`),
        'release_review_refused',
      );
      const status = await call(key, 'GET', `/api/v1/release-reviews/${otherId}`);
      expect(status.json()).toMatchObject({ status: 'refused', reason: '条件仅排除少数人，存在差分风险' });
      noCanary(status.body);
      const log = (await server.audit.entries({}, { limit: 1000 })).items;
      expect(
        log.some(
          (e) =>
            e.type === 'release_review.refused' && (e.data as { reviewId?: string }).reviewId === otherId,
        ),
      ).toBe(true);
    });
  });
});
