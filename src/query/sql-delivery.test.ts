import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fileResource } from '../../test/support/file-resource.js';
import { type Credentials, openTestServer, type TestServer } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { expectRefusal } from '../../test/support/refusals.js';
import { describeEachStore } from '../../test/support/store.js';
import { registry } from '../observability/index.js';

// What POST /query does with an answer beyond the rules of the grant (query.test.ts,
// sharing-enforcement.test.ts): a JSON answer cut at its limit across the sandbox's batches and
// flagged as cut, files whole, their headers and BOM, each release entry's figures, and every
// sandbox child given back whatever the outcome. Over 3,000 rows of an uploaded CSV: more than
// one batch of the sandbox's answer.
const COUNT = 3000;
const CSV = `n,qh\n${Array.from({ length: COUNT }, (_, i) => `${i + 1},${i % 2 ? '鼓楼区' : '台江区'}`).join('\n')}\n`;

/** Sandbox children serving a query now (the gauge of /metrics). */
async function busySandboxes(): Promise<number> {
  const metric = await registry.getSingleMetric('huitong_sandbox_processes')?.get();
  return metric?.values.find((v) => v.labels.state === 'busy')?.value ?? 0;
}

describeEachStore('SQL answers, their limits, formats and sandboxes', (kind) => {
  let server: TestServer;
  let key: Credentials;
  let code: string;
  const query = (body: Record<string, unknown>) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: key.headers,
      payload: { aliases: { t: code }, ...body },
    });
  const completion = async (requestId: unknown) =>
    (await server.audit.entries({}, { limit: 500 })).items.find(
      (e) => e.requestId === requestId && e.type === 'data.release.complete',
    );
  const allGivenBack = () =>
    until('every sandbox child given back', async () => (await busySandboxes()) === 0);

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

  // First in the file: this server's pool is still cold, so the first query must start a child.
  it('answers 503 sandbox_unavailable while no sandbox can start, and serves again once it can', async () => {
    const scratch = server.query.sandbox.scratchRoot;
    const count = { sql: 'SELECT count(*) AS n FROM t' };
    rmSync(scratch, { recursive: true, force: true });
    writeFileSync(scratch, 'not a folder');
    try {
      const refused = await query(count);
      expectRefusal(refused, 'sandbox_unavailable');
      expect(refused.headers['retry-after']).toBe('30');
      expect(refused.body).not.toContain(scratch);
    } finally {
      rmSync(scratch, { force: true });
      mkdirSync(scratch, { recursive: true });
    }
    const served = await query(count);
    expect(served.statusCode, served.body).toBe(200);
    expect(served.json().rows).toEqual([{ n: COUNT }]);
    await allGivenBack();
  });

  it('cuts a JSON answer at its limit, across batches, and says so only when rows were left out', async () => {
    for (const [limit, shown, truncated] of [
      [2500, 2500, true],
      [2048, 2048, true],
      [2999, 2999, true],
      [3000, 3000, false],
      [10_000, 3000, false],
    ] as const) {
      const answer = await query({ sql: 'SELECT n FROM t ORDER BY n', limit });
      expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
      const rows = answer.json().rows as Array<{ n: number }>;
      expect([rows.length, answer.json().truncated], String(limit)).toEqual([shown, truncated]);
      expect(rows.at(-1)?.n, String(limit)).toBe(shown);
      expect((await completion(answer.headers['x-request-id']))?.data.rows, String(limit)).toBe(shown);
    }
    // 12,000 rows: more than one reply of the sandbox child (8,192 rows), so the cut happens
    // after the first reply, and at exactly one reply's worth.
    for (const [limit, shown, truncated] of [
      [10_000, 10_000, true],
      [8192, 8192, true],
    ] as const) {
      const answer = await query({ sql: 'SELECT a.n FROM t a JOIN t b ON b.n <= 4', limit });
      expect(answer.statusCode, answer.body.slice(0, 300)).toBe(200);
      expect([answer.json().rows.length, answer.json().truncated], String(limit)).toEqual([shown, truncated]);
    }
    const one = await query({ sql: 'SELECT count(*) AS c FROM t' });
    expect(one.json()).toEqual({
      columns: [{ name: 'c', type: 'integer' }],
      rows: [{ c: COUNT }],
      truncated: false,
    });
    await allGivenBack();
  });

  it('sends CSV and NDJSON whole, named query.*, with a BOM when asked', async () => {
    const csv = await query({ sql: 'SELECT n, qh FROM t ORDER BY n', format: 'csv', limit: 5 });
    expect(csv.statusCode, csv.body.slice(0, 300)).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe("attachment; filename*=UTF-8''query.csv");
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(COUNT + 1);
    expect(lines.slice(0, 3)).toEqual(['n,qh', '1,台江区', '2,鼓楼区']);
    expect(csv.body.startsWith('\uFEFF')).toBe(false);
    expect((await completion(csv.headers['x-request-id']))?.data.rows).toBe(COUNT);
    const bom = await query({ sql: 'SELECT n FROM t', format: 'csv', bom: true });
    expect(bom.body.startsWith('\uFEFF')).toBe(true);
    const ndjson = await query({ sql: 'SELECT n FROM t ORDER BY n', format: 'ndjson' });
    expect(ndjson.headers['content-disposition']).toBe("attachment; filename*=UTF-8''query.ndjson");
    const records = ndjson.body.trim().split('\n');
    expect([records.length, JSON.parse(records[0]!)]).toEqual([COUNT, { n: 1 }]);
    await allGivenBack();
  });

  it('sends Parquet whole and logs how many rows it holds', async () => {
    const parquet = await query({ sql: 'SELECT n, qh FROM t', format: 'parquet' });
    expect(parquet.statusCode, parquet.body.slice(0, 300)).toBe(200);
    expect(parquet.headers['content-disposition']).toBe("attachment; filename*=UTF-8''query.parquet");
    const file = `/tmp/huitong-sql-${kind}-${Date.now()}.parquet`;
    await writeFile(file, parquet.rawPayload);
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const read = (await duck.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM '${file}'`)).getRowObjects();
    expect(read).toEqual([{ n: COUNT }]);
    expect((await completion(parquet.headers['x-request-id']))?.data.rows).toBe(COUNT);
    await allGivenBack();
  });

  it('gives every sandbox child back after a failed query, and names a table that is no resource code', async () => {
    const failed = await query({ sql: 'SELECT CAST(qh AS INTEGER) AS x FROM t' });
    expectRefusal(failed, 'query_failed');
    await allGivenBack();
    const unknown = await query({ sql: 'SELECT * FROM nosuch' });
    expectRefusal(unknown, 'resource_not_found');
    expect(unknown.json().error.message).toBe('Resource nosuch not found');
  });
});
