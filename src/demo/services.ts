import mysql from 'mysql2/promise';
import pg from 'pg';
import type { DemoTable } from './table.js';

/** Where the demo's real database servers are, and who may write to them. */
export interface ServiceOptions {
  postgres: { host: string; port: number; user: string; password: string };
  mariadb: { host: string; port: number; user: string; password: string };
  database: string;
}

/** The usual local servers (the CI and development machines), overridable by environment. */
export function serviceOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceOptions {
  return {
    postgres: {
      host: env.PGHOST ?? '127.0.0.1',
      port: Number(env.PGPORT ?? 5432),
      user: env.PGUSER ?? 'postgres',
      password: env.PGPASSWORD ?? '',
    },
    mariadb: {
      host: env.MYSQL_HOST ?? '127.0.0.1',
      port: Number(env.MYSQL_PORT ?? 3306),
      user: env.MYSQL_USER ?? 'root',
      password: env.MYSQL_PASSWORD ?? '',
    },
    database: 'huitong_demo',
  };
}

/**
 * HUITONG_OUTBOUND_ALLOW entries for the demo's servers (`127.0.0.1:5432`, `127.0.0.1:3306` by
 * default): the outbound policy refuses loopback and private addresses unless the operator
 * names them, and these two are on the machine itself.
 */
export function serviceAllowEntries(options: ServiceOptions): string[] {
  const entry = ({ host, port }: { host: string; port: number }) =>
    host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return [entry(options.postgres), entry(options.mariadb)];
}

const PG_TYPES = { string: 'text', integer: 'bigint', number: 'numeric', date: 'date' } as const;
const MY_TYPES = {
  string: 'varchar(255)',
  integer: 'bigint',
  number: 'decimal(18,2)',
  date: 'date',
} as const;
const BATCH = 1_000;

/** Creates database `huitong_demo` on PostgreSQL and fills the tables (the 公安厅's system). */
export async function fillPostgres(options: ServiceOptions, tables: DemoTable[]): Promise<void> {
  const admin = new pg.Client({ ...options.postgres, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${options.database}`);
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ ...options.postgres, database: options.database });
  await client.connect();
  try {
    for (const t of tables) {
      await client.query(`DROP TABLE IF EXISTS ${t.name}`);
      await client.query(
        `CREATE TABLE ${t.name} (${t.columns.map((c) => `${c.name} ${PG_TYPES[c.type]}`).join(', ')})`,
      );
      for (let i = 0; i < t.rows.length; i += BATCH) {
        const chunk = t.rows.slice(i, i + BATCH);
        const width = t.columns.length;
        const values = chunk
          .map((_, r) => `(${t.columns.map((_, c) => `$${r * width + c + 1}`).join(',')})`)
          .join(',');
        await client.query(`INSERT INTO ${t.name} VALUES ${values}`, chunk.flat());
      }
    }
  } finally {
    await client.end();
  }
}

/** Creates database `huitong_demo` on MariaDB and fills the tables (the 市场监管局's system). */
export async function fillMariadb(options: ServiceOptions, tables: DemoTable[]): Promise<void> {
  const conn = await mysql.createConnection({ ...options.mariadb, charset: 'utf8mb4' });
  try {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS ${options.database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await conn.query(`USE ${options.database}`);
    for (const t of tables) {
      await conn.query(`DROP TABLE IF EXISTS ${t.name}`);
      await conn.query(
        `CREATE TABLE ${t.name} (${t.columns.map((c) => `${c.name} ${MY_TYPES[c.type]}`).join(', ')})`,
      );
      for (let i = 0; i < t.rows.length; i += BATCH)
        await conn.query(`INSERT INTO ${t.name} VALUES ?`, [t.rows.slice(i, i + BATCH)]);
    }
  } finally {
    await conn.end();
  }
}
