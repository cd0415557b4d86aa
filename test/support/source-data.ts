import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { residentIdCheckChar } from '../../src/privacy/index.js';
import { SERVICES } from './services.js';

/** A valid resident ID number for a district, birth date and sequence. */
export function makeIdNumber(region: string, birth: string, seq: number): string {
  const body = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return body + residentIdCheckChar(body);
}

/** People rows with the columns of PERSON_ITEMS (xm, sfzh, sjhm, yhkh, jkzk, qh). */
export function peopleRows(count: number): Array<[string, string, string, string, string, string]> {
  const surnames = ['张', '李', '王', '欧阳', '陈', '林'];
  return Array.from({ length: count }, (_, i) => {
    const region = i % 2 === 0 ? '350102' : '110105';
    return [
      `${surnames[i % surnames.length]}${'明华'[i % 2]}`,
      makeIdNumber(region, `1980010${(i % 9) + 1}`, i + 1),
      `1380000${String(1000 + i).padStart(4, '0')}`,
      `62220200000000${String(i).padStart(5, '0')}`,
      i % 3 === 0 ? '良好' : '一般',
      region,
    ];
  });
}

/** A PostgreSQL schema of its own with a `people` table; `drop` removes it. */
export async function postgresPeople(count: number) {
  const schema = `src_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: SERVICES.postgres.url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(
    `CREATE TABLE ${schema}.people (xm text, sfzh text PRIMARY KEY, sjhm text, yhkh text, jkzk text, qh text)`,
  );
  for (const row of peopleRows(count))
    await client.query(`INSERT INTO ${schema}.people VALUES ($1,$2,$3,$4,$5,$6)`, row);
  return {
    schema,
    client,
    drop: async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** A MariaDB database of its own with an `enterprises` table owned by the people above. */
export async function mariadbEnterprises(owners: string[]) {
  const database = `src_${randomBytes(5).toString('hex')}`;
  const connection = await mysql.createConnection({
    host: SERVICES.mariadb.host,
    port: SERVICES.mariadb.port,
    user: 'root',
  });
  await connection.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
  await connection.query(
    `CREATE TABLE ${database}.enterprises (tyshxydm varchar(18), qymc varchar(100), fddbr_sfzh varchar(18), zczb decimal(14,2))`,
  );
  for (const [i, owner] of owners.entries()) {
    await connection.query(`INSERT INTO ${database}.enterprises VALUES (?, ?, ?, ?)`, [
      `91350100MA${String(i).padStart(8, '0')}`,
      `测试企业${i}`,
      owner,
      100 + i,
    ]);
  }
  return {
    database,
    drop: async () => {
      await connection.query(`DROP DATABASE ${database}`);
      await connection.end();
    },
  };
}

/** A PostgreSQL schema of its own with text tables of the given columns and rows; `drop` removes it. */
export async function postgresTables(tables: Record<string, { columns: string[]; rows: string[][] }>) {
  const schema = `src_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: SERVICES.postgres.url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  for (const [table, { columns, rows }] of Object.entries(tables)) {
    await client.query(`CREATE TABLE ${schema}.${table} (${columns.map((c) => `${c} text`).join(', ')})`);
    const marks = columns.map((_, i) => `$${i + 1}`).join(',');
    for (const row of rows) await client.query(`INSERT INTO ${schema}.${table} VALUES (${marks})`, row);
  }
  return {
    schema,
    /** The connection, for statements of a test's own (a key for change capture, a change). */
    client,
    /** Adds a row to one of the tables (a source whose data changes after it was published). */
    insert: async (table: string, row: string[]) => {
      const marks = row.map((_, i) => `$${i + 1}`).join(',');
      await client.query(`INSERT INTO ${schema}.${table} VALUES (${marks})`, row);
    },
    drop: async () => {
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}
