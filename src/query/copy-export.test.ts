import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordPostgresStatements } from '../../test/support/postgres-statements.js';
import { SERVICES, serviceAvailable, testOutbound } from '../../test/support/services.js';
import type { MaskSpec } from '../privacy/index.js';
import { postgresConnector } from '../sources/connectors/postgres.js';
import type { Connector } from '../sources/index.js';
import { copyExport } from './copy-export.js';
import { toCsv } from './deliver/csv.js';
import { toParquet } from './deliver/parquet.js';
import { readView, type ViewRequest } from './read-view.js';
import type { ColumnType } from './row-stream.js';
import type { SandboxLimits } from './sandbox.js';
import type { SecureView } from './secure-view.js';
import { guardReads } from './source-failure.js';

// The bulk path of exports (COPY … TO STDOUT) against today's row path, over the same secure
// view of a PostgreSQL table: the CSV bytes are equal, the Parquet files hold equal values, and
// the source is sent one COPY whose literals are the escaped values. Reads COPY cannot serve as
// the row path would (an HMAC mask, a timestamp column, a filter on a masked value) fall back.
const up = await serviceAvailable('postgres');
const LIMITS = { connectTimeoutMs: 2000, queryTimeoutMs: 10_000, maxConnections: 2 };
const HMAC = randomBytes(32);

describe.skipIf(!up)('exports through COPY', () => {
  const schema = `src_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(SERVICES.postgres.url);
  const scratch = join(tmpdir(), `huitong-copy-${schema}`);
  const sandbox: SandboxLimits = {
    memoryLimit: '256MB',
    threads: 1,
    timeoutMs: 30_000,
    scratchRoot: scratch,
  };
  let connector: Connector;
  /** What the platform's PostgreSQL clients sent that names the test's schema. */
  let statements: ReturnType<typeof recordPostgresStatements>;

  const column = (name: string, source: string, type: ColumnType, mask: MaskSpec = { kind: 'none' }) => ({
    name,
    item: `项${name}`,
    source,
    type,
    mask,
  });
  const view = (columns: SecureView['columns'], rowFilter: SecureView['rowFilter'] = []): SecureView =>
    ({
      resource: { code: 'R-1' },
      access: {},
      binding: { from: { kind: 'table', schema, table: 'people' } },
      columns,
      rowFilter,
    }) as unknown as SecureView;
  const PEOPLE = view(
    [
      column('id', 'id', 'integer'),
      column('xm', 'name', 'string', { kind: 'name' }),
      column('sfzh', 'sfzh', 'string', { kind: 'keep', first: 6, last: 4 }),
      column('qh', 'qh', 'string'),
      column('note', 'note', 'string'),
      column('born', 'born', 'date'),
      column('score', 'score', 'decimal'),
      column('big', 'big', 'integer'),
      column('active', 'active', 'boolean'),
      column('code', 'code', 'string'),
    ],
    [{ column: 'qh', op: 'in', values: ['鼓楼区', "O'台江\\区"] }],
  );

  const collect = async (chunks: AsyncIterable<Buffer>) => {
    const parts: Buffer[] = [];
    for await (const chunk of chunks) parts.push(chunk);
    return Buffer.concat(parts);
  };
  const rowPath = async (v: SecureView, request: ViewRequest) =>
    collect(toCsv(await readView(connector, v, request, HMAC), { header: 'both', bom: true }));
  const copyPath = async (v: SecureView, request: ViewRequest, format: 'csv' | 'parquet' = 'csv') => {
    statements.take();
    const out = await copyExport(connector, format, {
      view: v,
      request,
      hmacKey: HMAC,
      sandbox,
      header: 'both',
      bom: true,
    });
    if (!out) return null;
    return { bytes: await collect(out.body), rows: out.rows(), sent: statements.take() };
  };
  const parquetValues = async (bytes: Buffer) => {
    const file = join(tmpdir(), `huitong-copy-${randomBytes(4).toString('hex')}.parquet`);
    await writeFile(file, bytes);
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const reader = await duck.runAndReadAll(`SELECT * FROM '${file}'`);
    const types = reader.columnTypes().map(String);
    return { names: reader.columnNames(), types, rows: reader.getRowsJson() };
  };

  beforeAll(async () => {
    await mkdir(scratch, { recursive: true });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`
      CREATE TABLE ${schema}.people (
        id integer, name text, sfzh varchar(18), qh text, note text, born date, score numeric(20,2),
        big bigint, active boolean, code char(4), seen timestamptz)`);
    await admin.query(
      `INSERT INTO ${schema}.people
       SELECT i, CASE WHEN i % 11 = 0 THEN NULL ELSE '欧阳' || i END, '35010219900101' || lpad(i::text, 4, '0'),
              CASE WHEN i % 3 = 0 THEN '朝阳区' WHEN i % 3 = 1 THEN '鼓楼区' ELSE 'O''台江\\区' END,
              CASE i % 7 WHEN 6 THEN 'x''); DROP TABLE people; --' WHEN 0 THEN NULL WHEN 1 THEN '' WHEN 2 THEN '他说"好",再见' WHEN 3 THEN E'两行\\n文字\\r\\n三' WHEN 4 THEN 'a,b' ELSE '\\.' END,
              CASE WHEN i % 5 = 0 THEN NULL ELSE date '1990-01-01' + i END,
              CASE WHEN i % 4 = 0 THEN NULL WHEN i % 9 = 0 THEN i * 12345678901.25 ELSE i * 1.25 - 300 END,
              9007199254740993 + i, CASE i % 3 WHEN 0 THEN true WHEN 1 THEN false END,
              CASE WHEN i % 2 = 0 THEN 'ab' END, now()
       FROM generate_series(1, 3000) i`,
    );
    connector = guardReads(
      postgresConnector(
        { ...SERVICES.postgres, database: 'test', user: 'postgres', tls: { mode: 'disable' } } as never,
        undefined,
        LIMITS,
        testOutbound,
      ),
    );
    statements = recordPostgresStatements(schema);
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await connector?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    await rm(scratch, { recursive: true, force: true });
  });

  it('writes the same CSV bytes as the row path: masks, row filter, consumer filter, sort, NULLs, quotes, newlines', async () => {
    const request: ViewRequest = {
      filters: [
        { column: 'id', op: 'range', min: 10, max: 2500, maxInclusive: true },
        { column: 'note', op: 'like', pattern: "%'%" },
      ],
      sort: [{ column: 'id', direction: 'desc' }],
    };
    const unfiltered: ViewRequest = { sort: [{ column: 'id', direction: 'asc' }], limit: 1000 };
    for (const r of [request, unfiltered]) {
      const copied = await copyPath(PEOPLE, r);
      expect(copied).not.toBeNull();
      const expected = await rowPath(PEOPLE, r);
      expect(copied!.bytes.toString('utf8')).toBe(expected.toString('utf8'));
      expect(copied!.bytes.equals(expected)).toBe(true);
      let rows = 0;
      for await (const batch of (await readView(connector, PEOPLE, r, HMAC)).batches) rows += batch.length;
      expect(copied!.rows).toBe(rows);
    }
    const text = (await copyPath(PEOPLE, unfiltered))!.bytes.toString('utf8');
    expect(text).toContain('"他说""好"",再见"');
    expect(text).toContain('"两行\n文字\r\n三"');
    expect(text).not.toContain('朝阳区');
    expect(text).toMatch(/,350102\*+\d{4},/);
  });

  it('sends the source one COPY whose values are escaped literals, and honours a quota’s limit', async () => {
    const copied = await copyPath(PEOPLE, {
      filters: [{ column: 'note', op: 'eq', value: "x'); DROP TABLE people; --" }],
      limit: 5,
    });
    expect(copied!.sent).toHaveLength(1);
    const [statement] = copied!.sent;
    expect(statement).toMatch(/^COPY \(SELECT .* LIMIT 5\) TO STDOUT \(FORMAT csv\)$/);
    expect(statement).toContain(`'x''); DROP TABLE people; --'`);
    expect(statement).toContain(`E'O''台江\\\\区'`);
    expect(statement).not.toMatch(/\$\d/);
    expect(copied!.rows).toBe(5);
  });

  it('writes Parquet holding the same values and types as the row path', async () => {
    const request: ViewRequest = { sort: [{ column: 'id', direction: 'asc' }] };
    const copied = await copyPath(PEOPLE, request, 'parquet');
    expect(copied).not.toBeNull();
    expect(copied!.sent[0]).toMatch(/^COPY /);
    const today = await toParquet(await readView(connector, PEOPLE, request, HMAC), sandbox);
    const expected = await parquetValues(await collect(today.body));
    const actual = await parquetValues(copied!.bytes);
    expect(actual.names).toEqual(expected.names);
    expect(actual.types).toEqual(expected.types);
    expect(actual.rows).toEqual(expected.rows);
    expect(copied!.rows).toBe(today.rows());
    expect(expected.rows.some((r) => r[4] === '')).toBe(true);
    expect(expected.rows.some((r) => r[4] === null)).toBe(true);
  });

  it('falls back to the row path for HMAC masks, timestamps, floats in CSV and filters on masked values', async () => {
    const hmac = view([column('id', 'id', 'integer'), column('xm', 'name', 'string', { kind: 'hmac' })]);
    const stamped = view([column('id', 'id', 'integer'), column('seen', 'seen', 'timestamp')]);
    for (const v of [hmac, stamped]) expect(await copyPath(v, {})).toBeNull();
    expect(await copyPath(PEOPLE, { filters: [{ column: 'xm', op: 'eq', value: '欧*' }] })).toBeNull();
    // Nothing was sent to the source for a read that falls back.
    expect(statements.take()).toEqual([]);
  });

  it('reads a NUL in a filter value the row path way', async () => {
    expect(await copyPath(PEOPLE, { filters: [{ column: 'qh', op: 'eq', value: 'a\u0000b' }] })).toBeNull();
  });
});
