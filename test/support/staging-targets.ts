import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { SERVICES } from './services.js';

/** A staging database (前置库) of its own on the machine's PostgreSQL or MariaDB, as a consumer would name it. */
export interface StagingTarget {
  dialect: 'postgres' | 'mysql';
  /** The channel of a subscription writing into `table` there (the password included). */
  channel(table: string): {
    kind: 'staging';
    dialect: 'postgres' | 'mysql';
    host: string;
    port: number;
    database: string;
    user: string;
    password: string;
    table: string;
  };
  password: string;
  /** Runs a statement in the staging database, as its owner. */
  exec(sql: string): Promise<void>;
  /** The rows of a table (empty when it does not exist). */
  rows(table: string): Promise<Record<string, unknown>[]>;
  /** A table's columns and their data_type, in order. */
  columns(table: string): Promise<Array<{ name: string; type: string }>>;
  /** The position recorded in huitong_delivery_positions for a subscription, or null. */
  position(subscriptionId: string): Promise<number | null>;
  drop(): Promise<void>;
}

const name = () => `huitong_stg_${randomBytes(5).toString('hex')}`;

/**
 * A PostgreSQL staging database `huitong_stg_<random>` (CREATE DATABASE on the machine's server).
 * The server trusts local connections: the password is carried (and sealed) but not checked.
 */
export async function postgresTarget(): Promise<StagingTarget> {
  const database = name();
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVICES.postgres.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const client = new pg.Client({ ...pgTarget(), database });
  await client.connect();
  const exists = async (table: string) =>
    (await client.query('SELECT 1 FROM information_schema.tables WHERE table_name = $1', [table])).rowCount;
  return {
    dialect: 'postgres',
    password,
    channel: (table) => ({
      kind: 'staging',
      dialect: 'postgres',
      host: SERVICES.postgres.host,
      port: SERVICES.postgres.port,
      database,
      user: 'postgres',
      password,
      table,
    }),
    exec: async (sql) => void (await client.query(sql)),
    rows: async (table) => ((await exists(table)) ? (await client.query(`SELECT * FROM ${table}`)).rows : []),
    columns: async (table) =>
      (
        await client.query(
          `SELECT column_name AS name, data_type AS type FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
          [table],
        )
      ).rows,
    position: async (id) => {
      if (!(await exists('huitong_delivery_positions'))) return null;
      const r = await client.query(
        'SELECT last_seq FROM huitong_delivery_positions WHERE subscription_id = $1',
        [id],
      );
      return r.rows[0] ? Number(r.rows[0].last_seq) : null;
    },
    drop: async () => {
      await client.end();
      // The platform's staging connection may still be idle in the pool: FORCE ends it.
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    },
  };
}

function pgTarget() {
  return { host: SERVICES.postgres.host, port: SERVICES.postgres.port, user: 'postgres' };
}

/** A MariaDB staging database `huitong_stg_<random>` with a user of the same name and a password. */
export async function mariadbTarget(): Promise<StagingTarget> {
  const database = name();
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const root = await mysql.createConnection({
    host: SERVICES.mariadb.host,
    port: SERVICES.mariadb.port,
    user: 'root',
  });
  await root.query(`CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
  await root.query(`CREATE USER '${database}'@'%' IDENTIFIED BY '${password}'`);
  await root.query(`GRANT ALL ON ${database}.* TO '${database}'@'%'`);
  const exists = async (table: string) =>
    (
      (await root.query('SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?', [
        database,
        table,
      ])) as unknown as [unknown[]]
    )[0].length > 0;
  return {
    dialect: 'mysql',
    password,
    channel: (table) => ({
      kind: 'staging',
      dialect: 'mysql',
      host: SERVICES.mariadb.host,
      port: SERVICES.mariadb.port,
      database,
      user: database,
      password,
      table,
    }),
    exec: async (sql) => {
      await root.query(`USE ${database}`);
      await root.query(sql);
    },
    rows: async (table) =>
      (await exists(table))
        ? (
            (await root.query(`SELECT * FROM ${database}.${table}`)) as unknown as [Record<string, unknown>[]]
          )[0]
        : [],
    columns: async (table) =>
      (
        (await root.query(
          `SELECT column_name AS name, data_type AS type FROM information_schema.columns
            WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`,
          [database, table],
        )) as unknown as [Array<{ name: string; type: string }>]
      )[0],
    position: async (id) => {
      if (!(await exists('huitong_delivery_positions'))) return null;
      const [rows] = (await root.query(
        `SELECT last_seq FROM ${database}.huitong_delivery_positions WHERE subscription_id = ?`,
        [id],
      )) as unknown as [Array<{ last_seq: unknown }>];
      return rows[0] ? Number(rows[0].last_seq) : null;
    },
    drop: async () => {
      await root.query(`DROP DATABASE IF EXISTS ${database}`);
      await root.query(`DROP USER IF EXISTS '${database}'@'%'`);
      await root.end();
    },
  };
}
