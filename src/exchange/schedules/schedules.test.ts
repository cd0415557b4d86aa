// Scheduled delivery against real services: the metadata in PGlite, the source and the staging
// database on the machine's PostgreSQL (each in a schema of its own, dropped afterwards).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturedPeople } from '../../../test/support/captured-people.js';
import { type Credentials, openTestServer, type TestServer } from '../../../test/support/http.js';
import { expectRefusal } from '../../../test/support/refusals.js';
import { SERVICES, serviceAvailable, testOutbound } from '../../../test/support/services.js';
import { makeIdNumber, type postgresPeople } from '../../../test/support/source-data.js';
import { nextRunAt } from './cron.js';
import { runSchedule } from './run.js';
import { claimDue, releaseLease } from './runner.js';

const up = await serviceAvailable('postgres');
const ID_MASK = /^\d{6}\*{8}\d{3}[\dX]$/;

describe.skipIf(!up)(
  'delivery schedules: full exports through the query pipeline, into staging or files',
  () => {
    let server: TestServer;
    let source: Awaited<ReturnType<typeof postgresPeople>>;
    let steward: Credentials;
    let key: { headers: Record<string, string> };
    let code: string;
    let grantId: string;
    const staging = `stg_${randomBytes(5).toString('hex')}`;
    let admin: pg.Client;

    const call = (method: string, url: string, payload?: unknown) =>
      server.app.inject({ method: method as 'GET', url, headers: key.headers, payload: payload as object });
    const entries = async () =>
      (await server.store.db.selectFrom('audit_entries').select('entry').orderBy('idx').execute()).map(
        (r) =>
          JSON.parse(Buffer.from(r.entry).toString('utf8')) as {
            type: string;
            data: Record<string, unknown>;
          },
      );
    const stagingTarget = {
      kind: 'staging',
      dialect: 'postgres',
      host: SERVICES.postgres.host,
      port: SERVICES.postgres.port,
      database: 'test',
      user: 'postgres',
      password: 'not-needed-with-trust',
      schema: staging,
      table: 'people_copy',
    };

    beforeAll(async () => {
      server = await openTestServer('pglite');
      let consumerKey: { key: string };
      ({
        pg: source,
        steward,
        consumerKey,
        code,
        grantId,
      } = await capturedPeople(server, 6, [{ item: '区划', op: 'eq', value: '350102' }]));
      key = { headers: { authorization: `Bearer ${consumerKey.key}` } };
      // A full export is a file delivery: the resource offers files and the grant allows exports.
      await server.store.db
        .updateTable('resources')
        .set({ sharing_methods: ['api', 'file'] })
        .where('code', '=', code)
        .execute();
      await server.store.db
        .updateTable('grants')
        .set({ may_export: true })
        .where('id', '=', grantId)
        .execute();
      admin = new pg.Client({ connectionString: SERVICES.postgres.url });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${staging}`);
    });

    afterAll(async () => {
      await admin?.query(`DROP SCHEMA IF EXISTS ${staging} CASCADE`);
      await admin?.end();
      await server?.close();
      await source?.drop();
    });

    it('refuses a bad cron or time zone (400 schedule_cron_invalid) and reads the cron in its time zone', async () => {
      for (const [cron, timezone] of [
        ['0 25 * * *', 'Asia/Shanghai'],
        ['not a cron', 'Asia/Shanghai'],
        ['0 2 * * *', 'Mars/Olympus'],
        ['* * * * * *', 'UTC'],
      ]) {
        const res = await call('POST', '/api/v1/delivery-schedules', {
          resourceCode: code,
          cron,
          timezone,
          target: { kind: 'file' },
        });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error.code).toBe('schedule_cron_invalid');
      }
      const from = new Date('2026-03-01T00:00:00Z');
      // 02:00 in Shanghai (UTC+8) is 18:00 UTC the day before; in UTC it is 02:00.
      expect(nextRunAt('0 2 * * *', 'Asia/Shanghai', from)?.toISOString()).toBe('2026-03-01T18:00:00.000Z');
      expect(nextRunAt('0 2 * * *', 'UTC', from)?.toISOString()).toBe('2026-03-01T02:00:00.000Z');
      const made = await call('POST', '/api/v1/delivery-schedules', {
        resourceCode: code,
        cron: '30 1 * * *',
        target: { kind: 'file' },
      });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({ timezone: 'Asia/Shanghai', status: 'active' });
      // 01:30 Shanghai = 17:30 UTC.
      expect(made.json().nextRunAt).toMatch(/T17:30:00\.000Z$/);
      expect((await call('DELETE', `/api/v1/delivery-schedules/${made.json().id}`)).statusCode).toBe(204);
    });

    it('runs a CSV file export now: masked and filtered, released, downloadable as a release again', async () => {
      const made = await call('POST', '/api/v1/delivery-schedules', {
        resourceCode: code,
        cron: '0 2 * * *',
        target: { kind: 'file', format: 'csv' },
      });
      expect(made.statusCode, made.body).toBe(201);
      const id = made.json().id as string;
      const ran = await call('POST', `/api/v1/delivery-schedules/${id}/run`);
      expect(ran.statusCode, ran.body).toBe(201);
      const run = ran.json();
      expect(run).toMatchObject({ status: 'succeeded', trigger: 'manual', rows: 3, file: true, error: null });
      expect(run.sha256).toMatch(/^[0-9a-f]{64}$/);

      // The export was a release of the application's grant: start and completion, same digest.
      const logged = await entries();
      const complete = logged.filter(
        (e) => e.type === 'data.release.complete' && e.data.sha256 === run.sha256 && e.data.rows === 3,
      );
      expect(complete).toHaveLength(1);
      expect(logged.some((e) => e.type === 'delivery_schedule.ran' && e.data.runId === run.id)).toBe(true);
      expect(logged.some((e) => e.type === 'delivery_schedule.created' && e.data.scheduleId === id)).toBe(
        true,
      );

      const file = await call('GET', `/api/v1/delivery-schedules/${id}/runs/${run.id}/file`);
      expect(file.statusCode, file.body).toBe(200);
      expect(file.headers['content-type']).toContain('text/csv');
      const lines = file.body.trim().split(/\r?\n/);
      expect(lines).toHaveLength(4);
      const header = lines[0]!.split(',');
      const sfzh = header.indexOf('sfzh');
      const qh = header.indexOf('qh');
      for (const line of lines.slice(1)) {
        const cells = line.split(',');
        expect(cells[sfzh]).toMatch(ID_MASK);
        expect(cells[qh]).toBe('350102');
      }
      // The download is a release of its own, logged with the stored file's figures.
      const requestId = String(file.headers['x-request-id']);
      const download = [];
      for await (const entry of server.audit.streamEntries({}))
        if (entry.requestId === requestId) download.push(entry);
      expect(download.map((e) => e.type)).toEqual(['data.release.start', 'data.release.complete']);
      expect(download[1]).toMatchObject({ data: { rows: 3, sha256: run.sha256 } });

      // The grant narrowed since (身份证号 no longer granted): the file is not released again.
      const grant = await server.store.db
        .selectFrom('grants')
        .select('items')
        .where('id', '=', grantId)
        .executeTakeFirstOrThrow();
      const items = (typeof grant.items === 'string' ? JSON.parse(grant.items) : grant.items) as unknown[];
      const narrowed = items.filter((i) => JSON.stringify(i).indexOf('身份证号') < 0);
      expect(narrowed.length).toBe(items.length - 1);
      const setItems = (value: unknown[]) =>
        server.store.db
          .updateTable('grants')
          .set({ items: JSON.stringify(value) })
          .where('id', '=', grantId)
          .execute();
      await setItems(narrowed);
      expectRefusal(
        await call('GET', `/api/v1/delivery-schedules/${id}/runs/${run.id}/file`),
        'delivery_file_outdated',
      );
      await setItems(items);

      const runs = await call('GET', `/api/v1/delivery-schedules/${id}/runs`);
      expect(runs.json().items.map((r: { id: string }) => r.id)).toEqual([run.id]);
      const dir = join(server.config.HUITONG_DATA_DIR, 'deliveries', id);
      expect(existsSync(dir)).toBe(true);
      expect((await call('DELETE', `/api/v1/delivery-schedules/${id}`)).statusCode).toBe(204);
      expect(existsSync(dir)).toBe(false);
      expect((await call('GET', `/api/v1/delivery-schedules/${id}`)).json().error.code).toBe(
        'schedule_not_found',
      );
    });

    it('replaces a staging table with each run; one process claims a due run; a revoked grant fails the run and writes nothing', async () => {
      const made = await call('POST', '/api/v1/delivery-schedules', {
        resourceCode: code,
        fields: ['xm', 'sfzh', 'qh'],
        cron: '0 2 * * *',
        timezone: 'Asia/Shanghai',
        target: stagingTarget,
      });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json().target).not.toHaveProperty('password');
      const id = made.json().id as string;
      const copy = async () =>
        (await admin.query(`SELECT xm, sfzh, qh FROM ${staging}.people_copy ORDER BY sfzh`)).rows as Record<
          string,
          string
        >[];

      const first = await call('POST', `/api/v1/delivery-schedules/${id}/run`);
      expect(first.json(), first.body).toMatchObject({ status: 'succeeded', rows: 3, file: false });
      const rows = await copy();
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row.sfzh).toMatch(ID_MASK);
        expect(row.qh).toBe('350102');
      }

      // A new row in the filter, one out of it, and one that leaves it: the next run replaces the
      // copy (3 rows, the leaver gone), not adds to it.
      await source.client.query(
        `INSERT INTO ${source.schema}.people VALUES ('赵新', $1, '13800009999', '6222', '良好', '350102')`,
        [makeIdNumber('350102', '19900101', 99)],
      );
      await source.client.query(
        `INSERT INTO ${source.schema}.people VALUES ('钱外', $1, '13800009998', '6222', '良好', '110105')`,
        [makeIdNumber('110105', '19900101', 98)],
      );
      const leaver = (
        await source.client.query(
          `SELECT sfzh FROM ${source.schema}.people WHERE qh = '350102' ORDER BY sfzh LIMIT 1`,
        )
      ).rows[0].sfzh as string;
      await source.client.query(`UPDATE ${source.schema}.people SET qh = '110105' WHERE sfzh = $1`, [leaver]);
      const masked = `${leaver.slice(0, 6)}********${leaver.slice(14)}`;
      expect(rows.map((r) => r.sfzh)).toContain(masked);
      // Due now: of two claims at once, one takes it; the runner's run is the claimed one.
      await server.store.db
        .updateTable('delivery_schedules')
        .set({ next_run_at: new Date(Date.now() - 1000) })
        .where('id', '=', id)
        .execute();
      const claims = await Promise.all([claimDue(server.store.db), claimDue(server.store.db)]);
      expect(claims.filter((c) => c?.id === id)).toHaveLength(1);
      const env = { outbound: testOutbound, dataDir: server.config.HUITONG_DATA_DIR };
      const claimed = claims.find((c) => c?.id === id);
      if (!claimed) throw new Error('not claimed');
      await runSchedule(server.query, env, claimed, 'schedule');
      await releaseLease(server.store.db, id);
      const replaced = await copy();
      expect(replaced).toHaveLength(3);
      expect(replaced.map((r) => r.sfzh)).not.toContain(masked);
      const after = (await call('GET', `/api/v1/delivery-schedules/${id}`)).json();
      expect(after).toMatchObject({ lastStatus: 'succeeded', lastError: null });
      expect(new Date(after.nextRunAt).getTime()).toBeGreaterThan(Date.now());

      // A file made before the revocation is not downloaded after it: the download is a release too.
      const files = await call('POST', '/api/v1/delivery-schedules', {
        resourceCode: code,
        cron: '0 3 * * *',
        target: { kind: 'file', format: 'ndjson' },
      });
      const fileRun = (await call('POST', `/api/v1/delivery-schedules/${files.json().id}/run`)).json();
      expect(fileRun).toMatchObject({ status: 'succeeded', rows: 3 });

      // Revoked: the run fails with the code, and the copy is left as it was.
      const revoked = await server.app.inject({
        method: 'POST',
        url: `/api/v1/grants/${grantId}/revoke`,
        headers: steward.headers,
        payload: { reason: '用途已结束' },
      });
      expect(revoked.statusCode, revoked.body).toBe(200);
      await source.client.query(`UPDATE ${source.schema}.people SET xm = '改名' WHERE qh = '350102'`);
      const refused = await call('POST', `/api/v1/delivery-schedules/${id}/run`);
      expect(refused.json(), refused.body).toMatchObject({
        status: 'failed',
        error: 'grant_revoked',
        rows: null,
      });
      const kept = await copy();
      expect(kept).toHaveLength(3);
      expect(kept.some((r) => r.xm === '改名')).toBe(false);
      expect((await call('GET', `/api/v1/delivery-schedules/${id}`)).json()).toMatchObject({
        lastStatus: 'failed',
        lastError: 'grant_revoked',
      });
      const download = await call(
        'GET',
        `/api/v1/delivery-schedules/${files.json().id}/runs/${fileRun.id}/file`,
      );
      expect(download.statusCode).toBe(403);
      expect(download.json().error.code).toBe('grant_revoked');
      expect(download.body).not.toContain('350102');
    });
  },
);
