import { randomBytes } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskEngineWanted } from '../../test/support/mask-engines.js';
import { SERVICES, serviceAvailable } from '../../test/support/services.js';
import { applyMask } from './mask-js.js';
import type { MaskSpec } from './mask-spec.js';
import { maskSql } from './mask-sql.js';
import { quoteIdent, type SqlDialectName } from './sql-dialects.js';

const INPUTS: (string | null)[] = [
  null,
  '',
  'a',
  'ab',
  '张',
  '张三',
  '欧阳',
  '欧阳娜',
  '欧阳娜娜',
  '司马相如',
  '阿卜杜·热合曼',
  'John Smith',
  '11010519491231002X',
  '110105194912310',
  '13812345678',
  '+8613812345678',
  '6222021234567890128',
  '6222 0212 3456 7890',
  'Hello World 123',
  '😀汉字abc',
  'ÀÉÎ ß ﬁ',
  'x',
  'line\nbreak',
  "it's",
  'back\\slash',
  '0',
  '9',
  '35',
  '99',
  '100',
  '1000',
  '-5',
  '3.5',
  ' 35',
  'abc',
  '1990-05-12',
  '2023年1月',
  '19',
  '19a0-01-01',
  '350102',
  '110105',
  '35010',
  '3501021',
  '35010x',
  '张三丰李四王五赵六孙七周八吴九郑十',
  '19900512',
  '19901',
  '0990-01-01',
  '福建省福州市鼓楼区五四路88号',
  '上海市浦东新区张江路1号',
  '广西壮族自治区南宁市青秀区民族大道1号',
  '福建省福州市福清市音西街道万达小区3号楼',
  '福清市万达小区',
  '五四路88号万科小区',
  '江苏省镇江市京口区',
  '福建省 福州市鼓楼区',
  '鼓楼区',
  'abc区县',
  '北京市朝阳区\n1号',
];
const AGES: (number | null)[] = [0, 1, 9, 10, 17, 35, 89, 90, 99, 100, 120, null];
const KEY = 'k3y-汇通-secret';

const SPECS: MaskSpec[] = [
  { kind: 'none' },
  { kind: 'redact' },
  { kind: 'null' },
  { kind: 'suppress' },
  { kind: 'first', n: 0 },
  { kind: 'first', n: 1 },
  { kind: 'first', n: 3 },
  { kind: 'first', n: 40 },
  { kind: 'last', n: 0 },
  { kind: 'last', n: 4 },
  { kind: 'keep', first: 0, last: 0 },
  { kind: 'keep', first: 2, last: 1 },
  { kind: 'id-number' },
  { kind: 'mobile' },
  { kind: 'bank-card' },
  { kind: 'name' },
  { kind: 'hmac' },
  { kind: 'year' },
  { kind: 'year', width: 10 },
  { kind: 'year', width: 5 },
  { kind: 'address' },
  { kind: 'age-band', width: 10 },
  { kind: 'age-band', width: 5, top: 90 },
  { kind: 'age-band', width: 1 },
  { kind: 'region', level: 'city' },
  { kind: 'region', level: 'province' },
];

type Runner = (sql: string, params: string[]) => Promise<unknown[]>;
interface Db {
  dialect: SqlDialectName;
  run: Runner;
  placeholder: (i: number) => string;
}

const dbs: Db[] = [];
const closers: (() => Promise<void>)[] = [];
const name = `privacy_${randomBytes(5).toString('hex')}`;
const rows = INPUTS.map((v, i) => ({ id: i, v, age: AGES[i % AGES.length]! }));

async function openPostgres(): Promise<Db> {
  const client = new pg.Client(SERVICES.postgres.url);
  await client.connect();
  await client.query(`CREATE SCHEMA ${name}; SET search_path TO ${name}`);
  await client.query('CREATE TABLE t (id int, v text, age int, born date)');
  for (const r of rows)
    await client.query('INSERT INTO t VALUES ($1, $2, $3, $4)', [r.id, r.v, r.age, '1990-05-12']);
  closers.push(async () => {
    await client.query(`DROP SCHEMA ${name} CASCADE`);
    await client.end();
  });
  const run: Runner = async (sql, params) => (await client.query(sql, params)).rows.map((r) => r.m);
  return { dialect: 'postgres', run, placeholder: (i) => `$${i}` };
}

async function openMariadb(): Promise<Db> {
  const conn = await mysql.createConnection(SERVICES.mariadb.url);
  await conn.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.query(`USE ${name}`);
  await conn.query('CREATE TABLE t (id int, v text, age int, born date) CHARACTER SET utf8mb4');
  for (const r of rows)
    await conn.query('INSERT INTO t VALUES (?, ?, ?, ?)', [r.id, r.v, r.age, '1990-05-12']);
  closers.push(async () => {
    await conn.query(`DROP DATABASE ${name}`);
    await conn.end();
  });
  const run: Runner = async (sql, params) =>
    ((await conn.query(sql, params))[0] as { m: unknown }[]).map((r) => r.m);
  return { dialect: 'mysql', run, placeholder: () => '?' };
}

async function openDuckdb(): Promise<Db> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run('CREATE TABLE t (id INTEGER, v VARCHAR, age INTEGER, born DATE)');
  for (const r of rows)
    await conn.run('INSERT INTO t VALUES ($1, $2, $3, $4)', [r.id, r.v, r.age, '1990-05-12']);
  closers.push(async () => conn.closeSync());
  const run: Runner = async (sql, params) =>
    (await conn.runAndReadAll(sql, params)).getRowObjects().map((r) => r.m);
  return { dialect: 'duckdb', run, placeholder: (i) => `$${i}` };
}

beforeAll(async () => {
  dbs.push(await openDuckdb());
  if (maskEngineWanted('postgres') && (await serviceAvailable('postgres'))) dbs.push(await openPostgres());
  if (maskEngineWanted('mariadb') && (await serviceAvailable('mariadb'))) dbs.push(await openMariadb());
});
afterAll(async () => {
  for (const close of closers) await close();
});

async function masked(db: Db, spec: MaskSpec, column: string, bind: boolean): Promise<unknown[]> {
  const params: string[] = [];
  const options = {
    hmacKey: KEY,
    bind: bind
      ? (hex: string) => {
          params.push(hex);
          return db.placeholder(params.length);
        }
      : undefined,
  };
  const expr = maskSql(spec, quoteIdent(column, db.dialect), db.dialect, options);
  return db.run(`SELECT ${expr} AS m FROM t ORDER BY id`, params);
}

describe('masks give identical text in JS, PostgreSQL, MariaDB and DuckDB', () => {
  for (const spec of SPECS) {
    it(`${JSON.stringify(spec)} over text`, async () => {
      const expected = rows.map((r) => applyMask(spec, r.v, { hmacKey: KEY }));
      for (const db of dbs)
        expect({ db: db.dialect, out: await masked(db, spec, 'v', false) }).toEqual({
          db: db.dialect,
          out: expected,
        });
    });
  }

  it('age bands over an integer column, years over a date column', async () => {
    for (const spec of SPECS.filter((s) => s.kind === 'age-band')) {
      const expected = rows.map((r) => applyMask(spec, r.age));
      for (const db of dbs) expect(await masked(db, spec, 'age', false)).toEqual(expected);
    }
    for (const db of dbs)
      expect(await masked(db, { kind: 'year' }, 'born', false)).toEqual(rows.map(() => '1990'));
  });

  it('HMAC pads as bound parameters give the same digests as inlined ones', async () => {
    const expected = rows.map((r) => applyMask({ kind: 'hmac' }, r.v, { hmacKey: KEY }));
    for (const db of dbs)
      expect({ db: db.dialect, out: await masked(db, { kind: 'hmac' }, 'v', true) }).toEqual({
        db: db.dialect,
        out: expected,
      });
  });

  it('the sha256-built HMAC equals pgcrypto hmac() where the extension can be created', async () => {
    const db = dbs.find((d) => d.dialect === 'postgres');
    if (!db) return;
    const available = await db.run(
      "SELECT count(*)::int AS m FROM pg_available_extensions WHERE name = 'pgcrypto'",
      [],
    );
    if (available[0] !== 1) return;
    const existing = await db.run(
      "SELECT extnamespace::regnamespace::text AS m FROM pg_extension WHERE extname = 'pgcrypto'",
      [],
    );
    const schema = (existing[0] as string | undefined) ?? name;
    if (!existing.length) await db.run(`CREATE EXTENSION pgcrypto WITH SCHEMA ${name}`, []);
    try {
      const viaPgcrypto = await db.run(
        `SELECT encode(${schema}.hmac(convert_to(v, 'UTF8'), convert_to($1, 'UTF8'), 'sha256'), 'hex') AS m FROM t ORDER BY id`,
        [KEY],
      );
      expect(await masked(db, { kind: 'hmac' }, 'v', false)).toEqual(viaPgcrypto);
    } finally {
      if (!existing.length) await db.run('DROP EXTENSION pgcrypto', []);
    }
  });
});
