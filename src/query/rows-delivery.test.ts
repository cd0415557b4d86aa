import { writeFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileResource } from '../../test/support/file-resource.js';
import { type Credentials, openTestServer, type TestServer } from '../../test/support/http.js';
import { expectRefusal } from '../../test/support/refusals.js';
import { describeEachStore } from '../../test/support/store.js';
import { encodeCursor } from '../store/index.js';

// What GET …/rows does with its parameters, beyond the rules of the grant (query.test.ts,
// sharing-enforcement.test.ts): files uncut unless a limit is asked, the same fields, filters and
// sorts for files as for pages, the last page's cursor, malformed cursors and filters, BOM and
// headers. Over 150 rows of an uploaded CSV, more than a JSON page's default of 100.
const COUNT = 150;
const CSV = `n,qh\n${Array.from({ length: COUNT }, (_, i) => `${i + 1},${i % 2 ? '鼓楼区' : '台江区'}`).join('\n')}\n`;

describeEachStore('rows delivery, its parameters and formats', (kind) => {
  let server: TestServer;
  let key: Credentials;
  let code: string;
  const rows = (query = '') =>
    server.app.inject({ url: `/api/v1/resources/${code}/rows${query}`, headers: key.headers });
  const csvLines = (body: string) => body.trim().split('\r\n');

  beforeAll(async () => {
    server = await openTestServer(kind);
    ({ code, key } = await fileResource(server, CSV, {
      items: [
        { name: '序号', field: 'n', dataType: 'number' },
        { name: '区划', field: 'qh', dataType: 'string' },
      ],
      sharingType: 'unconditional',
      sharingMethods: ['api', 'file'],
    }));
  });
  afterAll(() => server?.close());

  it('sends a whole file unless a limit is asked, named for the resource, with or without a BOM', async () => {
    const whole = await rows('?format=csv');
    expect(whole.statusCode, whole.body).toBe(200);
    expect(csvLines(whole.body)).toHaveLength(COUNT + 1);
    expect(whole.headers['content-type']).toMatch(/^text\/csv/);
    expect(whole.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${code}.csv`);
    expect(whole.body.startsWith('\uFEFF')).toBe(false);
    expect(csvLines((await rows('?format=csv&limit=2')).body)).toHaveLength(3);
    for (const bom of ['1', 'true'])
      expect((await rows(`?format=csv&bom=${bom}`)).body.startsWith('\uFEFF')).toBe(true);
    const parquet = await rows('?format=parquet');
    expect(parquet.statusCode, parquet.body.slice(0, 200)).toBe(200);
    expect(parquet.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${code}.parquet`);
    const file = `/tmp/huitong-rows-${kind}-${Date.now()}.parquet`;
    await writeFile(file, parquet.rawPayload);
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const read = (await duck.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM '${file}'`)).getRowObjects();
    expect(read).toEqual([{ n: COUNT }]);
  });

  it('applies fields, filters and sorts to files as to pages, spaces and empty names aside', async () => {
    const filter = encodeURIComponent(JSON.stringify([{ column: 'qh', op: 'eq', value: '鼓楼区' }]));
    const csv = await rows(
      `?format=csv&fields=${encodeURIComponent(' n ,')}&filter=${filter}&sort=${encodeURIComponent('qh, -n')}`,
    );
    expect(csv.statusCode, csv.body).toBe(200);
    const lines = csvLines(csv.body);
    expect(lines.slice(0, 3)).toEqual(['n', '150', '148']);
    expect(lines).toHaveLength(COUNT / 2 + 1);
    const page = await rows(
      `?fields=${encodeURIComponent('n, qh')}&sort=${encodeURIComponent(' -n')}&limit=1`,
    );
    expect(page.json().rows).toEqual([{ n: 150, qh: '鼓楼区' }]);
  });

  it('gives a next cursor while rows remain, none on the last page, and refuses cursors it did not issue', async () => {
    const first = await rows('?limit=100');
    expect(first.json().rows).toHaveLength(100);
    expect(first.json().nextCursor).toEqual(expect.any(String));
    const last = await rows(`?limit=50&cursor=${first.json().nextCursor}`);
    expect(last.json().rows.map((r: { n: number }) => r.n)).toEqual(
      Array.from({ length: 50 }, (_, i) => 101 + i),
    );
    expect(last.json().nextCursor).toBeNull();
    for (const id of ['-5', '1.5', 'x', String(2 ** 60)]) {
      const refused = await rows(`?cursor=${encodeCursor({ key: 'offset', id })}`);
      expectRefusal(refused, 'invalid_cursor');
      expect(refused.json().error.message, id).toBe('The cursor is not one this server issued');
    }
  });

  it('refuses a filter that is not JSON, or not conditions, saying where', async () => {
    const notJson = await rows('?filter=qh%3D1');
    expectRefusal(notJson, 'invalid_filter');
    expect(notJson.json().error.message).toBe('filter must be a JSON array of conditions');
    const bad = await rows(`?filter=${encodeURIComponent(JSON.stringify([{ column: 'qh', op: 'nope' }]))}`);
    expectRefusal(bad, 'invalid_filter');
    expect(bad.json().error.message).not.toBe('');
    // The first problem's message, and each problem where it is, path segments joined by dots.
    expect(bad.json().error).toMatchObject({
      message: "Invalid discriminator value. Expected 'eq' | 'in' | 'range' | 'like' | 'is_null'",
      details: [{ path: '0.op' }],
    });
  });

  it('logs what was asked, parameters included, as the release entry’s query', async () => {
    const response = await rows('?format=csv&fields=n&limit=3');
    expect(response.statusCode, response.body).toBe(200);
    const entries = (await server.audit.entries({}, { limit: 500 })).items.filter(
      (e) => e.requestId === response.headers['x-request-id'] && e.type === 'data.release.start',
    );
    expect(entries.map((e) => e.data.query)).toEqual([
      `rows ${JSON.stringify({ code, fields: ['n'], filters: [], sort: [], limit: 3 })}`,
    ]);
  });
});
