import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES, serviceAvailable, testOutbound } from '../../../test/support/services.js';
import type { MaskSpec } from '../../privacy/index.js';
import { mysqlConnector } from '../../sources/connectors/mysql.js';
import { postgresConnector } from '../../sources/connectors/postgres.js';
import type { Connector, Filter } from '../../sources/index.js';
import { copyLoad } from '../copy-export.js';
import { readView } from '../read-view.js';
import { Sandbox, type SandboxLimits } from '../sandbox.js';
import type { SecureView, ViewColumn } from '../secure-view.js';
import { inspectSelect } from '../sql-guard.js';
import { type LoadedSide, loadOrder, narrowedByJoins, narrowedRequest, planPushdown } from './index.js';

// The promise of dynamic filtering: a join's answer is the same whether the second side's source
// sent every allowed row, only those its own conditions let through, or only those whose join key
// the first side holds — over generated joins (PostgreSQL ⋈ MariaDB both ways, and within one
// PostgreSQL), join columns clear or masked, predicates on either side, row filters, inner and
// outer joins; with keys where engines part ways (case, trailing spaces, char(n), NULLs).
const servicesUp = (await serviceAvailable('postgres')) && (await serviceAvailable('mariadb'));
const LIMITS = { connectTimeoutMs: 5000, queryTimeoutMs: 30_000, maxConnections: 2 };
const SANDBOX: SandboxLimits = { memoryLimit: '256MB', threads: 1, timeoutMs: 30_000, scratchRoot: tmpdir() };
const HMAC_KEY = Buffer.alloc(32, 9);
const TEXTS = ['Alice', 'alice', 'ALICE ', 'Bob', 'ab', 'ab ', 'AB', '日本', '', null, 'x_1'];
const CODES = ['350102', '350103', '110105', null, '350100'];
const CHARS = ['ab', 'AB', 'x', null];
/** Rows of table `a` (offset 0) and `b` (offset 1): keys overlap in part, NULLs on both sides. */
const rowsOf = (count: number, offset: number) =>
  Array.from({ length: count }, (_, i) => [
    i + 1,
    (i + offset) % 6 === 4 ? null : ((i * 7 + offset * 3) % 40) - 5,
    TEXTS[(i + offset) % TEXTS.length]!,
    CODES[(i * 3 + offset) % CODES.length]!,
    CHARS[(i + offset * 2) % CHARS.length]!,
  ]);
const ROWS = { a: rowsOf(50, 0), b: rowsOf(70, 1) };

const MASKS: Record<'k' | 's' | 'code', MaskSpec[]> = {
  k: [{ kind: 'none' }, { kind: 'none' }, { kind: 'null' }],
  s: [
    { kind: 'none' },
    { kind: 'none' },
    { kind: 'first', n: 1 },
    { kind: 'hmac' },
    { kind: 'keep', first: 1, last: 1 },
  ],
  code: [{ kind: 'none' }, { kind: 'region', level: 'city' }, { kind: 'last', n: 2 }],
};
const ROW_FILTERS: Filter[][] = [
  [],
  [{ column: 'k', op: 'range', min: 0, max: 20, maxInclusive: true }],
  [{ column: 'code', op: 'in', values: ['350102', '110105'] }],
];

type Masks = Record<'k' | 's' | 'code', MaskSpec>;

function viewOf(schema: string, table: string, masks: Masks, rowFilter: Filter[]): SecureView {
  const col = (
    name: string,
    sourceType: ViewColumn['type'],
    mask: MaskSpec = { kind: 'none' },
  ): ViewColumn => ({
    name,
    item: name,
    source: name,
    type: mask.kind === 'none' || mask.kind === 'null' ? sourceType : 'string',
    mask,
  });
  return {
    columns: [
      col('id', 'integer'),
      col('k', 'integer', masks.k),
      col('s', 'string', masks.s),
      col('code', 'string', masks.code),
      col('c', 'string'),
    ],
    rowFilter,
    resource: { provider: { id: 'p' } },
    binding: { sourceId: 'test', from: { kind: 'table', schema, table } },
  } as unknown as SecureView;
}

interface Side {
  view: SecureView;
  connector: Connector;
}

let reads = 0;

/**
 * The answer of `sql` (its tables `{A}` and `{B}`) as POST /query computes it, with pushdown off,
 * with conditions only, or with conditions and join keys; and the rows each side loaded.
 */
/** COPY reads that carried the pushdown's conditions or join keys. */
let copiedWithConditions = 0;

async function answer(
  box: Sandbox,
  a: Side,
  b: Side,
  template: string,
  mode: 'off' | 'conditions' | 'joins' | 'copy',
) {
  const n = ++reads;
  const names = { A: `a${n}`, B: `b${n}` };
  const sql = template.replaceAll('{A}', names.A).replaceAll('{B}', names.B);
  const sides = new Map([
    [names.A, a],
    [names.B, b],
  ]);
  const views = new Map([...sides].map(([k, s]) => [k, s.view]));
  const plans = await planPushdown(mode !== 'off', (await inspectSelect(sql)).statement, views);
  const loaded = new Map<string, LoadedSide>();
  for (const table of loadOrder([...views.keys()], plans)) {
    const { view, connector } = sides.get(table)!;
    let request = await narrowedRequest({}, view, plans.get(table), connector, HMAC_KEY);
    if (mode === 'joins' || mode === 'copy')
      request = await narrowedByJoins(
        request,
        view,
        plans.get(table),
        connector,
        HMAC_KEY,
        loaded,
        box,
        undefined,
      );
    // As loadViews reads a large side: the source's COPY of the same read (join keys as literals).
    const bulk = copyLoad(connector, view, request, HMAC_KEY);
    const rows = await box.load(
      table,
      await readView(connector, view, request, HMAC_KEY),
      mode === 'copy'
        ? async () => {
            const input = await bulk();
            if (input && request.conditions?.length) copiedWithConditions++;
            return input;
          }
        : undefined,
    );
    loaded.set(table, { rows, fields: view.columns.map((c) => c.name), provider: 'p' });
  }
  const result = await box.stream(sql);
  const rows: string[] = [];
  for await (const batch of result.batches)
    for (const row of batch)
      rows.push(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v)));
  for (const table of Object.values(names))
    for await (const _ of (await box.stream(`DROP TABLE ${table}`)).batches);
  return { rows: rows.sort(), loaded: (loaded.get(names.A)?.rows ?? 0) + (loaded.get(names.B)?.rows ?? 0) };
}

describe.skipIf(!servicesUp)('dynamic filtering leaves every join’s answer as it was', () => {
  const schema = `src_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(SERVICES.postgres.url);
  let maria: mysql.Connection;
  let postgres: Connector;
  let mariadb: Connector;
  let box: Sandbox;
  /** A sandbox that loads every side it can from its source's COPY, however small (bulkAfterRows 0). */
  let copyBox: Sandbox;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    maria = await mysql.createConnection({
      host: SERVICES.mariadb.host,
      port: SERVICES.mariadb.port,
      user: 'root',
    });
    await maria.query(`CREATE DATABASE ${schema} CHARACTER SET utf8mb4`);
    for (const table of ['a', 'b'] as const) {
      await admin.query(
        `CREATE TABLE ${schema}.${table} (id bigint PRIMARY KEY, k integer, s text, code varchar(20), c char(4))`,
      );
      await maria.query(
        `CREATE TABLE ${schema}.${table} (id bigint PRIMARY KEY, k int, s varchar(50), code varchar(20), c char(4))`,
      );
      for (const row of ROWS[table]) {
        await admin.query(`INSERT INTO ${schema}.${table} VALUES ($1,$2,$3,$4,$5)`, row);
        await maria.query(`INSERT INTO ${schema}.${table} VALUES (?,?,?,?,?)`, row);
      }
    }
    const base = { host: SERVICES.postgres.host, tls: { mode: 'disable' as const } };
    postgres = postgresConnector(
      { ...base, user: 'postgres', port: SERVICES.postgres.port, database: 'test' },
      undefined,
      LIMITS,
      testOutbound,
    );
    mariadb = mysqlConnector(
      { ...base, user: 'root', port: SERVICES.mariadb.port, database: schema },
      undefined,
      LIMITS,
      testOutbound,
    );
    box = await Sandbox.open(SANDBOX);
    copyBox = await Sandbox.open({ ...SANDBOX, bulkAfterRows: 0 });
  });

  afterAll(async () => {
    await box?.close();
    await copyBox?.close();
    await postgres?.close();
    await mariadb?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    await maria?.query(`DROP DATABASE IF EXISTS ${schema}`);
    await maria?.end();
  });

  it('answers alike off, with conditions only and with join keys, over generated joins × masks × row filters', async () => {
    const masks = fc.record({
      k: fc.constantFrom(...MASKS.k),
      s: fc.constantFrom(...MASKS.s),
      code: fc.constantFrom(...MASKS.code),
    });
    const pair = fc.constantFrom('PostgreSQL ⋈ MariaDB', 'MariaDB ⋈ PostgreSQL', 'PostgreSQL ⋈ PostgreSQL');
    const on = fc.constantFrom(
      'x.k = y.k',
      'y.s = x.s',
      'x.code = y.code',
      'x.c = y.c',
      'x.s = y.code',
      'x.k = y.id',
    );
    const predicate = fc.constantFrom(
      'x.id <= 12',
      'x.k BETWEEN 0 AND 6',
      "x.code = '350102'",
      "x.s IN ('Alice', 'ab', 'A***e')",
      'x.s IS NOT NULL',
      'y.id > 60',
      'y.k IN (1, 2, 3, 30)',
      "y.code <> '110105'",
      "upper(x.s) = 'ALICE'",
      'x.k + 0 = 3',
    );
    const shape = fc.constantFrom(
      (join: string, where: string) =>
        `SELECT x.id, y.id, x.s, y.code FROM {A} x JOIN {B} y ON ${join} WHERE ${where}`,
      (join: string, where: string) =>
        `SELECT count(*), count(DISTINCT y.id) FROM {A} x, {B} y WHERE ${join} AND ${where}`,
      (join: string, where: string) =>
        `SELECT x.s, count(*) FROM {A} x JOIN {B} y ON ${join} AND ${where} GROUP BY x.s`,
      (join: string, where: string) =>
        `SELECT x.id, y.id FROM {A} x LEFT JOIN {B} y ON ${join} WHERE ${where}`,
    );
    const runs = Number(process.env.PUSHDOWN_RUNS ?? 120);
    let narrowedByKeys = 0;
    await fc.assert(
      fc.asyncProperty(
        pair,
        masks,
        masks,
        fc.constantFrom(...ROW_FILTERS),
        fc.constantFrom(...ROW_FILTERS),
        on,
        fc.array(predicate, { minLength: 1, maxLength: 2 }),
        shape,
        async (which, maskA, maskB, filterA, filterB, join, predicates, sqlOf) => {
          const [left, right] = which.split(' ⋈ ').map((s) => (s === 'MariaDB' ? mariadb : postgres)) as [
            Connector,
            Connector,
          ];
          const a = { view: viewOf(schema, 'a', maskA, filterA), connector: left };
          const b = { view: viewOf(schema, 'b', maskB, filterB), connector: right };
          const sql = sqlOf(join, predicates.join(' AND '));
          const off = await answer(box, a, b, sql, 'off');
          const conditions = await answer(box, a, b, sql, 'conditions');
          const keys = await answer(box, a, b, sql, 'joins');
          expect(conditions.rows, `${which}: ${sql}`).toEqual(off.rows);
          expect(keys.rows, `${which}: ${sql}`).toEqual(off.rows);
          expect(keys.loaded).toBeLessThanOrEqual(conditions.loaded);
          // PostgreSQL sides loaded from COPY (bulkAfterRows 0), keys and conditions as literals.
          const copied = await answer(copyBox, a, b, sql, 'copy');
          expect(copied.rows, `COPY ${which}: ${sql}`).toEqual(off.rows);
          expect(copied.loaded).toBe(keys.loaded);
          if (keys.loaded < conditions.loaded) narrowedByKeys++;
        },
      ),
      { numRuns: runs, seed: Number(process.env.PUSHDOWN_SEED ?? Date.now() % 2 ** 31) },
    );
    // Not vacuous: the keys of one side often narrow the other's read.
    expect(narrowedByKeys).toBeGreaterThan(runs / 4);
    expect(copiedWithConditions).toBeGreaterThan(runs / 4);
  }, 600_000);
});
