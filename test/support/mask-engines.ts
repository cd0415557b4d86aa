import { randomBytes } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { type MaskSpec, maskSql, quoteIdent, type SqlDialectName } from '../../src/privacy/index.js';
import { SERVICES, serviceAvailable } from './services.js';

/** A database that runs the SQL masks over one text column `v` of a scratch table. */
export interface MaskEngine {
  dialect: SqlDialectName;
  /** Replaces the table's rows with `values` (row i has id i). */
  load(values: readonly (string | null)[]): Promise<void>;
  /** The masked values, in id order. */
  mask(spec: MaskSpec, hmacKey: string): Promise<(string | null)[]>;
  close(): Promise<void>;
}

type Run = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

function engine(dialect: SqlDialectName, run: Run, close: () => Promise<void>): MaskEngine {
  const placeholder = (i: number) => (dialect === 'mysql' ? '?' : `$${i}`);
  return {
    dialect,
    async load(values) {
      await run('DELETE FROM t');
      for (let at = 0; at < values.length; at += 200) {
        const chunk = values.slice(at, at + 200);
        const params = chunk.flatMap((v, i) => [at + i, v]);
        const tuples = chunk.map((_, i) => `(${placeholder(2 * i + 1)}, ${placeholder(2 * i + 2)})`);
        if (chunk.length) await run(`INSERT INTO t (id, v) VALUES ${tuples.join(', ')}`, params);
      }
    },
    async mask(spec, hmacKey) {
      const params: string[] = [];
      const bind = (hex: string) => {
        params.push(hex);
        return placeholder(params.length);
      };
      const expr = maskSql(spec, quoteIdent('v', dialect), dialect, { hmacKey, bind });
      const rows = await run(`SELECT ${expr} AS m FROM t ORDER BY id`, params);
      return rows.map((r) => (r.m === null || r.m === undefined ? null : String(r.m)));
    },
    close,
  };
}

async function duckdb(): Promise<MaskEngine> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run('CREATE TABLE t (id INTEGER, v VARCHAR)');
  const run: Run = async (sql, params = []) =>
    (await conn.runAndReadAll(sql, params as never)).getRowObjects() as Record<string, unknown>[];
  return engine('duckdb', run, async () => conn.closeSync());
}

async function postgres(schema: string): Promise<MaskEngine> {
  const client = new pg.Client(SERVICES.postgres.url);
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}`);
  await client.query('CREATE TABLE t (id int, v text)');
  const run: Run = async (sql, params = []) => (await client.query(sql, params)).rows;
  return engine('postgres', run, async () => {
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  });
}

async function mariadb(schema: string): Promise<MaskEngine> {
  const conn = await mysql.createConnection(SERVICES.mariadb.url);
  await conn.query(`CREATE DATABASE ${schema} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.query(`USE ${schema}`);
  await conn.query('CREATE TABLE t (id int, v text) CHARACTER SET utf8mb4');
  const run: Run = async (sql, params = []) =>
    (await conn.query(sql, params))[0] as Record<string, unknown>[];
  return engine('mysql', run, async () => {
    await conn.query(`DROP DATABASE ${schema}`);
    await conn.end();
  });
}

/**
 * Whether the mask tests run on a server database: all by default; MASK_ENGINES=duckdb limits
 * them (mutation runs of the JS masks, where the servers only add time).
 */
export function maskEngineWanted(name: 'postgres' | 'mariadb'): boolean {
  const only = process.env.MASK_ENGINES;
  return only === undefined || only.split(',').includes(name);
}

/** DuckDB always, PostgreSQL and MariaDB when they answer (required under HUITONG_REQUIRE_SERVICES=1). */
export async function openMaskEngines(): Promise<MaskEngine[]> {
  const schema = `masks_${randomBytes(5).toString('hex')}`;
  const engines = [await duckdb()];
  if (maskEngineWanted('postgres') && (await serviceAvailable('postgres')))
    engines.push(await postgres(schema));
  if (maskEngineWanted('mariadb') && (await serviceAvailable('mariadb'))) engines.push(await mariadb(schema));
  return engines;
}
