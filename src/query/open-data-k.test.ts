import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, buildResource, buildUser, TEST_PASSWORD } from '../../test/support/factories.js';
import { type Credentials, loginAs, openTestServer, type TestServer } from '../../test/support/http.js';
import { expectRefusal } from '../../test/support/refusals.js';
import { SERVICES, serviceAvailable } from '../../test/support/services.js';
import { createSource } from '../sources/index.js';

// Issue 15, item 1: the k-anonymity gate of open data, through the HTTP API on real source
// databases. 40 people in four districts of Fuzhou (3501xx), five of each sex per district: k = 5
// over (区划, 性别). Then one person of Xiamen (350203) is added: a class of one, so every open
// read is refused until the region is generalised — to the province, since at city level Xiamen
// is still alone.

const ROWS: string[][] = ['350102', '350103', '350104', '350105'].flatMap((qh, d) =>
  ['男', '女'].flatMap((xb, s) =>
    Array.from({ length: 5 }, (_, i) => [`张${d}${s}${i}`, qh, xb, `1980-0${(i % 9) + 1}-15`]),
  ),
);
const LONE = ['欧阳孤', '350203', '男', '1975-03-04'];
const ITEMS = [
  { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' as const },
  { name: '区划', field: 'qh', dataType: 'string' },
  { name: '性别', field: 'xb', dataType: 'string' },
  { name: '出生日期', field: 'csrq', dataType: 'string', personal: true, personalKind: 'basic' as const },
];
const COLUMNS = ['xm', 'qh', 'xb', 'csrq'];

interface SourceTables {
  source: { kind: 'postgres' | 'mysql'; database: string; port: number; user: string };
  from: (table: string) => { kind: 'table'; schema?: string; table: string };
  insert(table: string, rows: string[][]): Promise<void>;
  drop(): Promise<void>;
}

async function postgresSource(): Promise<SourceTables> {
  const schema = `k_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: SERVICES.postgres.url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  for (const t of ['people', 'tiny'])
    await client.query(`CREATE TABLE ${schema}.${t} (${COLUMNS.map((c) => `${c} text`).join(', ')})`);
  return {
    source: { kind: 'postgres', database: 'test', port: SERVICES.postgres.port, user: 'postgres' },
    from: (table) => ({ kind: 'table', schema, table }),
    insert: async (table, rows) => {
      for (const row of rows) await client.query(`INSERT INTO ${schema}.${table} VALUES ($1,$2,$3,$4)`, row);
    },
    drop: async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

async function mariadbSource(): Promise<SourceTables> {
  const database = `k_${randomBytes(5).toString('hex')}`;
  const connection = await mysql.createConnection({
    host: SERVICES.mariadb.host,
    port: SERVICES.mariadb.port,
    user: 'root',
  });
  await connection.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
  for (const t of ['people', 'tiny'])
    await connection.query(
      `CREATE TABLE ${database}.${t} (${COLUMNS.map((c) => `${c} varchar(40)`).join(', ')})`,
    );
  return {
    source: { kind: 'mysql', database, port: SERVICES.mariadb.port, user: 'root' },
    from: (table) => ({ kind: 'table', table }),
    insert: async (table, rows) => {
      for (const row of rows)
        await connection.query(`INSERT INTO ${database}.${table} VALUES (?,?,?,?)`, row);
    },
    drop: async () => {
      await connection.query(`DROP DATABASE ${database}`);
      await connection.end();
    },
  };
}

const kinds = [
  { name: 'PostgreSQL', open: postgresSource, up: await serviceAvailable('postgres') },
  { name: 'MariaDB', open: mariadbSource, up: await serviceAvailable('mariadb') },
];

describe.each(kinds)('the k-anonymity gate of open data on $name', ({ open, up }) => {
  let server: TestServer;
  let tables: SourceTables;
  let steward: Credentials;
  let code: string;
  let tiny: string;
  let draft: string;
  let names: string;

  const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown, as?: Credentials) =>
    server.app.inject({ method, url, headers: as?.headers, payload: payload as object });
  const asSteward = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) =>
    call(method, url, payload, steward);
  const releaseItems = [{ name: '姓名' }, { name: '区划' }, { name: '性别' }, { name: '出生日期' }];
  const gate = { quasiIdentifiers: ['区划', '性别'], k: 5 };

  beforeAll(async () => {
    if (!up) return;
    tables = await open();
    await tables.insert('people', ROWS);
    await tables.insert('tiny', ROWS.slice(0, 3));
    server = await openTestServer('pglite');
    const db = server.store.db;
    const org = await buildOrganization(db);
    steward = await loginAs(
      server.app,
      (await buildUser(db, { orgId: org.id, roles: ['data_steward'] })).username,
      TEST_PASSWORD,
    );
    const source = await createSource(db, server.sources, {
      ...tables.source,
      name: `人口库-${randomBytes(3).toString('hex')}`,
      orgId: org.id,
      host: tables.source.kind === 'postgres' ? SERVICES.postgres.host : SERVICES.mariadb.host,
      tls: { mode: 'disable' },
      description: '',
    });
    const publish = async (table: string, published = true) => {
      const resource = await buildResource(
        db,
        org.id,
        {
          items: ITEMS,
          sharingType: 'conditional',
          sharingConditions: '用于政务服务',
          openType: 'unconditional',
        },
        { publish: published },
      );
      const bound = await asSteward('PUT', `/api/v1/resources/${resource.code}/binding`, {
        sourceId: source.id,
        from: tables.from(table),
      });
      expect(bound.statusCode, bound.body).toBe(200);
      return resource.code;
    };
    code = await publish('people');
    tiny = await publish('tiny');
    draft = await publish('people', false);
    names = await publish('people');
  });
  afterAll(async () => {
    await server?.close();
    await tables?.drop();
  });

  it.runIf(up)(
    'proposes the quasi-identifiers from the items and refuses a k below the minimum',
    async () => {
      const got = await call('GET', `/api/v1/resources/${code}/open-release`);
      expect(got.json().proposedQuasiIdentifiers).toEqual([
        { item: '区划', kind: 'region' },
        { item: '性别', kind: 'gender' },
        { item: '出生日期', kind: 'birth-date' },
      ]);
      const low = await asSteward('PUT', `/api/v1/resources/${code}/open-release`, {
        items: releaseItems,
        quasiIdentifiers: ['区划'],
        k: 2,
      });
      expectRefusal(low, 'k_below_minimum');
      // A quasi-identifier must be an item the release sends out.
      const unreleased = await asSteward('PUT', `/api/v1/resources/${code}/open-release`, {
        items: [{ name: '区划' }],
        quasiIdentifiers: ['区划', '性别'],
      });
      expectRefusal(unreleased, 'quasi_identifier_not_released');
      // Personal items (姓名, 出生日期) released: a gate is required, none named is refused…
      const none = await asSteward('PUT', `/api/v1/resources/${code}/open-release`, {
        items: releaseItems,
        quasiIdentifiers: [],
      });
      expectRefusal(none, 'quasi_identifiers_required');
      expect(none.json().error.details).toEqual({ field: 'quasiIdentifiers', items: ['姓名', '出生日期'] });
      expect((await call('GET', `/api/v1/resources/${code}/open-release`)).json().configured).toBe(false);
      // …and none given, the proposal is applied with the platform minimum, measured first: the
      // birth dates go out as decades, so every (区划, 性别, 1980s) class holds five.
      const proposed = await asSteward('PUT', `/api/v1/resources/${code}/open-release`, {
        items: releaseItems,
      });
      expect(proposed.statusCode, proposed.body).toBe(200);
      expect(proposed.json()).toMatchObject({
        kAnonymity: { quasiIdentifiers: ['区划', '性别', '出生日期'], k: 5 },
        kAnonymityProposed: true,
      });
    },
  );

  it.runIf(up)(
    'publishes a k-anonymous release, then refuses every open read once a class falls below k',
    async () => {
      const put = await asSteward('PUT', `/api/v1/resources/${code}/open-release`, {
        items: releaseItems,
        ...gate,
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json().kAnonymity).toEqual(gate);
      const rows = await call('GET', `/api/v1/resources/${code}/rows?limit=100`);
      expect(rows.statusCode, rows.body).toBe(200);
      expect(rows.json().rows).toHaveLength(40);

      // A new person in a district of their own: the next downloads are refused, in every format.
      await tables.insert('people', [LONE]);
      for (const format of ['json', 'csv', 'xlsx', 'parquet']) {
        const refused = await call('GET', `/api/v1/resources/${code}/rows?format=${format}`);
        expectRefusal(refused, 'open_release_below_k');
        // The public learns k and the quasi-identifiers' names, never a value of the small class.
        expect(refused.body).not.toContain('350203');
        expect(refused.body).not.toContain('欧阳');
        expect(refused.json().error.details).toEqual({ k: 5, quasiIdentifiers: ['区划', '性别'] });
      }
      // The refusal is logged under its request before it is answered.
      const refused = await call('GET', `/api/v1/resources/${code}/rows`);
      const requestId = String(refused.headers['x-request-id']);
      const types: string[] = [];
      for await (const entry of server.audit.streamEntries({ type: 'open_release.below_k' }))
        if (entry.requestId === requestId) types.push(entry.type);
      expect(types).toEqual(['open_release.below_k']);

      // The steward re-saving the release is refused too, with the smallest class shown to them.
      const again = await asSteward('PUT', `/api/v1/resources/${code}/open-release`, {
        items: releaseItems,
        ...gate,
      });
      expectRefusal(again, 'open_release_below_k');
      expect(again.json().error.details.smallest[0]).toEqual({
        values: { 区划: '350203', 性别: '男' },
        size: 1,
      });

      // A release of personal items stored before gates were required (no quasi-identifiers, no
      // k) escapes nothing: its reads are gated by the proposal with the platform minimum.
      const items = put.json().items;
      const resourceId = (
        await server.store.db
          .selectFrom('resources')
          .select('id')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).id;
      await server.store.db
        .updateTable('open_releases')
        .set({ items: JSON.stringify(items), quasi_identifiers: null, k: null })
        .where('resource_id', '=', resourceId)
        .execute();
      const legacy = await call('GET', `/api/v1/resources/${code}/open-release`);
      expect(legacy.json()).toMatchObject({
        kAnonymity: { quasiIdentifiers: ['区划', '性别', '出生日期'], k: 5 },
        kAnonymityProposed: true,
      });
      for (const url of [`/api/v1/resources/${code}/rows?format=csv`, `/api/v1/resources/${code}/rows`]) {
        const refusedLegacy = await call('GET', url);
        expectRefusal(refusedLegacy, 'open_release_below_k');
        expect(refusedLegacy.json().error.details).toEqual({
          k: 5,
          quasiIdentifiers: ['区划', '性别', '出生日期'],
        });
      }
    },
  );

  it.runIf(up)(
    'previews the live k and the generalisation reaching k, and serves it generalised once applied',
    async () => {
      const preview = await asSteward('POST', `/api/v1/resources/${code}/open-release/k-preview`, gate);
      expect(preview.statusCode, preview.body).toBe(200);
      const p = preview.json();
      expect(p.live.k).toBe(1);
      expect(p.live.smallest[0]).toEqual({ values: { 区划: '350203', 性别: '男' }, size: 1 });
      // City level leaves Xiamen alone; the province reaches k with the sex kept in clear.
      expect(p.generalisation).toMatchObject({
        reachable: true,
        reason: null,
        k: 20,
        levels: [
          { item: '区划', kind: 'region', level: 2, mask: { kind: 'region', level: 'province' } },
          { item: '性别', kind: 'gender', level: 0, mask: { kind: 'none' } },
        ],
      });

      const applied = await asSteward('POST', `/api/v1/resources/${code}/open-release/generalise`, gate);
      expect(applied.statusCode, applied.body).toBe(200);
      expect(applied.json().items).toContainEqual({
        name: '区划',
        mask: { kind: 'region', level: 'province' },
      });
      const rows = await call('GET', `/api/v1/resources/${code}/rows?limit=100`);
      expect(rows.statusCode, rows.body).toBe(200);
      const served = rows.json().rows as Array<Record<string, string>>;
      expect(served).toHaveLength(41);
      expect(new Set(served.map((r) => r.qh))).toEqual(new Set(['350000']));
      const csv = await call('GET', `/api/v1/resources/${code}/rows?format=csv`);
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.body).not.toContain('350203');
    },
  );

  it.runIf(up)('refuses a generalisation that cannot reach k, with the reason', async () => {
    // Three rows cannot open their personal items under the proposed gate: nothing is stored.
    const put = await asSteward('PUT', `/api/v1/resources/${tiny}/open-release`, { items: releaseItems });
    expectRefusal(put, 'open_release_below_k');
    // The default release (the items that are not personal) is what the preview measures.
    const preview = await asSteward('POST', `/api/v1/resources/${tiny}/open-release/k-preview`, gate);
    expect(preview.json().generalisation).toMatchObject({ reachable: false, reason: 'fewer_rows_than_k' });
    const refused = await asSteward('POST', `/api/v1/resources/${tiny}/open-release/generalise`, gate);
    expectRefusal(refused, 'k_not_reachable');
    expect(refused.json().error.details).toEqual({ reason: 'fewer_rows_than_k', k: 5 });
    // Nothing was stored: the release is still the default one, without a gate.
    expect((await call('GET', `/api/v1/resources/${tiny}/open-release`)).json()).toMatchObject({
      configured: false,
      kAnonymity: null,
    });
  });

  it.runIf(up)(
    'gates personal items released with no quasi-identifier over the whole release: its rows must reach k',
    async () => {
      // Only the name goes out (masked): no item of the release is a proposed quasi-identifier.
      const small = await asSteward('PUT', `/api/v1/resources/${tiny}/open-release`, {
        items: [{ name: '姓名' }],
      });
      expectRefusal(small, 'open_release_below_k');
      // The steward sees the one class, the whole release, with no value: 3 rows, below 5.
      expect(small.json().error.details).toEqual({
        k: 5,
        quasiIdentifiers: [],
        smallest: [{ values: {}, size: 3 }],
      });
      const put = await asSteward('PUT', `/api/v1/resources/${names}/open-release`, {
        items: [{ name: '姓名' }],
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toMatchObject({
        kAnonymity: { quasiIdentifiers: [], k: 5 },
        kAnonymityProposed: true,
      });
      const rows = await call('GET', `/api/v1/resources/${names}/rows?limit=100`);
      expect(rows.statusCode, rows.body).toBe(200);
      expect(rows.json().rows.length).toBeGreaterThanOrEqual(40);
      // Stored before gates were required, a release of the name alone over three rows is refused.
      const tinyId = (
        await server.store.db
          .selectFrom('resources')
          .select('id')
          .where('code', '=', tiny)
          .executeTakeFirstOrThrow()
      ).id;
      await server.store.db
        .insertInto('open_releases')
        .values({
          resource_id: tinyId,
          items: JSON.stringify([{ name: '姓名', mask: { kind: 'name' } }]),
          quasi_identifiers: null,
          k: null,
          updated_by: null,
          updated_at: new Date(),
        })
        .execute();
      const refused = await call('GET', `/api/v1/resources/${tiny}/rows`);
      expectRefusal(refused, 'open_release_below_k');
      expect(refused.json().error.details).toEqual({ k: 5, quasiIdentifiers: [] });
    },
  );

  it.runIf(up)('refuses to publish a resource whose gated open release fell below k', async () => {
    const put = await asSteward('PUT', `/api/v1/resources/${draft}/open-release`, {
      items: releaseItems,
      quasiIdentifiers: ['性别'],
    });
    expect(put.statusCode, put.body).toBe(200);
    await tables.insert('people', [['某甲', '350102', '未知', '1990-01-01']]);
    const refused = await asSteward('POST', `/api/v1/resources/${draft}/publish`);
    expectRefusal(refused, 'open_release_below_k');
    expect(refused.json().error.details).toEqual({ k: 5, quasiIdentifiers: ['性别'] });
    expect((await asSteward('GET', `/api/v1/resources/${draft}`)).json().status).toBe('draft');
  });
});
