import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testOutbound } from '../../../test/support/services.js';
import type { AppError } from '../../errors/index.js';
import { HttpJsonConfigSchema } from '../source-config.js';
import type { Connector } from './connector.js';
import { httpJsonConnector } from './http-json.js';

const PEOPLE = Array.from({ length: 25 }, (_, i) => ({
  id: i + 1,
  name: `居民${i + 1}`,
  city: ['福州', '厦门', '泉州'][i % 3],
  score: i % 5 === 0 ? null : i * 1.5,
}));

function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const json = (status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json', server: 'test-api/1.0' });
    response.end(JSON.stringify(body));
  };
  if (url.pathname === '/hang') return; // never answers
  if (request.headers['x-api-key'] !== 'k-123') return void json(401, { error: 'no key' });
  if (url.pathname === '/page') {
    const page = Number(url.searchParams.get('page') ?? 1);
    const size = Number(url.searchParams.get('size') ?? 10);
    return void json(200, { data: { items: PEOPLE.slice((page - 1) * size, page * size) } });
  }
  if (url.pathname === '/offset') {
    const offset = Number(url.searchParams.get('offset'));
    const limit = Number(url.searchParams.get('limit'));
    return void json(200, PEOPLE.slice(offset, offset + limit));
  }
  if (url.pathname === '/cursor') {
    const at = Number(url.searchParams.get('cursor') ?? 0);
    return void json(200, {
      result: { rows: PEOPLE.slice(at, at + 7) },
      next: at + 7 < PEOPLE.length ? String(at + 7) : null,
    });
  }
  if (url.pathname === '/not-json') {
    response.writeHead(200, { 'content-type': 'text/html' });
    return void response.end('<html>');
  }
  json(404, {});
}

async function rows(connector: Connector, plan: Parameters<Connector['read']>[0]) {
  const result = await connector.read(plan, { batchSize: 4 });
  const out: unknown[][] = [];
  for await (const batch of result.batches) out.push(...batch);
  return { columns: result.columns, rows: out };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: AppError) => ({ status: error.status, code: error.code }),
  );

describe('http_json connector', () => {
  let server: Server;
  let base: string;
  const connect = (path: string, options: Record<string, unknown> = {}, key = 'k-123') =>
    httpJsonConnector(
      HttpJsonConfigSchema.parse({
        url: `${base}${path}`,
        authHeaderName: 'X-Api-Key',
        timeoutMs: 1000,
        ...options,
      }),
      { authHeaderValue: key },
      testOutbound,
    );
  const records = { kind: 'table' as const, table: 'records' };

  beforeAll(async () => {
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('tests, and describes columns inferred from the first page', async () => {
    const api = connect('/page', {
      recordsPath: 'data.items',
      paging: { style: 'page', sizeParam: 'size', pageSize: 10 },
    });
    expect(await api.test()).toMatchObject({ ok: true, serverVersion: 'test-api/1.0' });
    const { tables } = await api.describe();
    expect(tables).toEqual([
      {
        schema: null,
        name: 'records',
        kind: 'api',
        rowEstimate: null,
        columns: [
          { name: 'id', type: 'integer', nativeType: 'json number', nullable: false },
          { name: 'name', type: 'string', nativeType: 'json string', nullable: false },
          { name: 'city', type: 'string', nativeType: 'json string', nullable: false },
          { name: 'score', type: 'number', nativeType: 'json number', nullable: true },
        ],
      },
    ]);
  });

  it('follows page, offset and cursor paging to the end', async () => {
    const paged = connect('/page', {
      recordsPath: '$.data.items',
      paging: { style: 'page', sizeParam: 'size', pageSize: 10 },
    });
    expect((await rows(paged, { from: records, columns: ['id'] })).rows.flat()).toEqual(
      PEOPLE.map((p) => p.id),
    );
    const offset = connect('/offset', { paging: { style: 'offset', pageSize: 6 } });
    expect((await rows(offset, { from: records, columns: ['id'] })).rows).toHaveLength(25);
    const cursor = connect('/cursor', {
      recordsPath: 'result.rows',
      paging: { style: 'cursor', nextCursorPath: 'next' },
    });
    expect((await rows(cursor, { from: records, columns: ['name'] })).rows.at(-1)).toEqual(['居民25']);
  });

  it('applies filters, sort, keyset, offset and limit after fetching (no pushdown)', async () => {
    const api = connect('/offset', { paging: { style: 'offset', pageSize: 10 } });
    expect(api.pushdown).toBe(false);
    const result = await rows(api, {
      from: records,
      columns: ['id', 'score'],
      filters: [
        { column: 'city', op: 'in', values: ['福州', '泉州'] },
        { column: 'score', op: 'range', min: 10, max: 30, maxInclusive: false },
        { column: 'name', op: 'like', pattern: '居民_%' },
      ],
      sort: [{ column: 'score', direction: 'desc' }],
      limit: 3,
      offset: 1,
    });
    expect(result.rows).toEqual([
      [18, 25.5],
      [15, 21],
      [13, 18],
    ]);
    const after = await rows(api, { from: records, columns: ['id'], sort: [{ column: 'id' }], after: [23] });
    expect(after.rows).toEqual([[24], [25]]);
    const nulls = await rows(api, {
      from: records,
      columns: ['id'],
      filters: [{ column: 'score', op: 'is_null' }],
    });
    expect(nulls.rows.flat()).toEqual([1, 6, 11, 16, 21]);
    const injection = await rows(api, {
      from: records,
      filters: [{ column: 'name', op: 'eq', value: "' OR 1=1 --" }],
    });
    expect(injection.rows).toEqual([]);
  });

  it('refuses unknown columns, SQL and pushed expressions', async () => {
    const api = connect('/offset', { paging: { style: 'offset', pageSize: 10 } });
    expect(await failure(api.read({ from: records, columns: ['nope'] }))).toEqual({
      status: 400,
      code: 'unknown_column',
    });
    expect(await failure(api.read({ from: { kind: 'query', sql: 'SELECT 1' } }))).toMatchObject({
      code: 'pushdown_unsupported',
    });
    expect(
      await failure(
        api.read({ from: records, expressions: [{ alias: 'x', type: 'string', build: () => "'x'" }] }),
      ),
    ).toMatchObject({ code: 'pushdown_unsupported' });
  });

  it('reports wrong credentials, timeouts, refused connections, bad bodies and too many pages', async () => {
    expect(await failure(connect('/page', {}, 'wrong').test())).toEqual({
      status: 400,
      code: 'source_auth_failed',
    });
    const started = Date.now();
    // A silent HTTP server answers as a closed port does (net/: one code for every unreachable,
    // so that the connection test is no port scanner).
    expect(await failure(connect('/hang').test())).toEqual({ status: 502, code: 'source_unreachable' });
    expect(Date.now() - started).toBeLessThan(5000);
    const closed = httpJsonConnector(
      HttpJsonConfigSchema.parse({ url: 'http://127.0.0.1:1/x', timeoutMs: 1000 }),
      {},
      testOutbound,
    );
    expect(await failure(closed.test())).toEqual({ status: 502, code: 'source_unreachable' });
    expect(await failure(connect('/not-json').test())).toMatchObject({ code: 'source_response_invalid' });
    expect(await failure(connect('/page', { recordsPath: 'data.nothing' }).test())).toMatchObject({
      code: 'source_response_invalid',
    });
    const capped = connect('/offset', { paging: { style: 'offset', pageSize: 5 }, maxPages: 2 });
    expect(await failure(rows(capped, { from: records }))).toMatchObject({ code: 'source_response_invalid' });
  });
});
