import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiKey, buildOrganization, buildUser, TEST_PASSWORD } from '../../../test/support/factories.js';
import { fileResource } from '../../../test/support/file-resource.js';
import {
  bearer,
  type Credentials,
  loginAs,
  openTestServer,
  type TestServer,
} from '../../../test/support/http.js';
import { expectRefusal } from '../../../test/support/refusals.js';
import { describeEachStore } from '../../../test/support/store.js';
import { verifyInclusion } from '../../audit/index.js';

// Issue 18, leak tracing end to end: a steward marks two tolerant items; two applications (one
// organisation) read the CSV; a cut, re-sorted, rounded, GBK re-encoded part of one copy is traced
// to that application alone; the bad uploads get their clear refusals.
const COUNT = 1200;
const CSV = `id,amount,seen,district\n${Array.from(
  { length: COUNT },
  (_, i) =>
    `P${1000 + i},${((i * 7919) % 100_000) / 100},2024-03-${String(1 + (i % 28)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00,${i % 2 ? '鼓楼区' : '台江区'}`,
).join('\n')}\n`;

const lines = (body: string) => body.trim().split('\r\n');

describeEachStore('leak tracing through the API', (kind) => {
  let server: TestServer;
  let code: string;
  let steward: Credentials;
  let officer: Credentials;
  let first: Credentials & { application: string };
  let second: Credentials & { application: string };
  const trace = (payload: string | Buffer, who: Credentials = officer, type = 'text/csv') =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/tracing/trace',
      headers: { ...who.headers, 'content-type': type },
      payload,
    });
  const csvOf = async (who: Credentials) => {
    const response = await server.app.inject({
      url: `/api/v1/resources/${code}/rows?format=csv`,
      headers: who.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return lines(response.body).map((l) => l.split(','));
  };

  beforeAll(async () => {
    server = await openTestServer(kind);
    const world = await fileResource(server, CSV, {
      items: [
        { name: '编号', field: 'id', dataType: 'string' },
        { name: '金额', field: 'amount', dataType: 'number' },
        { name: '时间', field: 'seen', dataType: 'datetime' },
        { name: '区划', field: 'district', dataType: 'string' },
      ],
      sharingType: 'unconditional',
      sharingMethods: ['api', 'file'],
    });
    ({ code, steward } = world);
    const db = server.store.db;
    const a = await buildApiKey(db, world.consumerId);
    const b = await buildApiKey(db, world.consumerId);
    first = { ...bearer(a.key), application: a.application.id };
    second = { ...bearer(b.key), application: b.application.id };
    const platform = await buildOrganization(db);
    officer = await loginAs(
      server.app,
      (await buildUser(db, { orgId: platform.id, roles: ['security_officer'] })).username,
      TEST_PASSWORD,
    );
  });
  afterAll(() => server?.close());

  it('lets the provider’s steward set the marks, audited, and refuses a tolerant key', async () => {
    const refused = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${code}/tracing`,
      headers: steward.headers,
      payload: { keyItem: '金额', items: [{ item: '金额', kind: 'number', tolerance: 0.01 }] },
    });
    expectRefusal(refused, 'trace_key_required');
    const set = await server.app.inject({
      method: 'PUT',
      url: `/api/v1/resources/${code}/tracing`,
      headers: steward.headers,
      payload: {
        keyItem: '编号',
        items: [
          { item: '金额', kind: 'number', tolerance: 0.01 },
          { item: '时间', kind: 'time', tolerance: 60 },
        ],
      },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ resource: code, keyItem: '编号', updatedBy: expect.any(String) });
    const entries = (await server.audit.entries({ type: 'tracing.settings_set' }, { limit: 10 })).items;
    expect(entries.at(-1)?.resources).toEqual([code]);
    const read = await server.app.inject({
      url: `/api/v1/resources/${code}/tracing`,
      headers: steward.headers,
    });
    expect(read.json().items).toHaveLength(2);
  });

  it('marks each recipient’s copy differently, within tolerance, leaving the other columns alone', async () => {
    const [a, b] = [await csvOf(first), await csvOf(second)];
    expect(a[0]).toEqual(['id', 'amount', 'seen', 'district']);
    expect(a).toHaveLength(COUNT + 1);
    const source = lines(CSV.replaceAll('\n', '\r\n')).map((l) => l.split(','));
    let differ = 0;
    for (let r = 1; r <= COUNT; r++) {
      expect([a[r]![0], a[r]![3]]).toEqual([source[r]![0], source[r]![3]]);
      expect(Math.abs(Number(a[r]![1]) - Number(source[r]![1]))).toBeLessThanOrEqual(0.010001);
      if (a[r]![1] !== b[r]![1]) differ++;
    }
    expect(differ).toBeGreaterThan(COUNT / 10);
  });

  it('traces a cut, re-sorted, rounded GBK copy to its recipient only', async () => {
    const copy = (await csvOf(first)).slice(1);
    const leak = copy
      .filter((_, i) => i % 3 === 0)
      .sort((x, y) => Number(y[1]) - Number(x[1]))
      .map(([id, amount, seen]) => `${Number(amount).toFixed(2)},${seen},${id}`);
    const file = iconv.encode(`金额,时间,编号\n${leak.join('\n')}\n`, 'gbk');
    const response = await trace(file);
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    expect(report.encoding).toBe('gb18030');
    expect(report.suspects[0]).toMatchObject({ recipient: `app:${first.application}`, accused: true });
    expect(report.suspects[0].innocentProbability).toBeLessThan(1e-6);
    expect(report.suspects.filter((s: { accused: boolean }) => s.accused)).toHaveLength(1);
    expect(
      report.suspects.some((s: { recipient: string }) => s.recipient === `app:${second.application}`),
    ).toBe(true);
    const logged = (await server.audit.entries({ type: 'tracing.traced' }, { limit: 10 })).items.at(-1);
    expect(logged?.data).toMatchObject({ outcome: 'traced', accused: [`app:${first.application}`] });
  });

  it('answers the evidence report, HTML and PDF, whose inclusion proofs verify against the signed root', async () => {
    const copy = (await csvOf(second)).slice(1, 400);
    const file = `编号,金额\n${copy.map(([id, amount]) => `${id},${amount}`).join('\n')}\n`;
    const evidence = (format: string) =>
      server.app.inject({
        method: 'POST',
        url: `/api/v1/tracing/evidence?format=${format}`,
        headers: { ...officer.headers, 'content-type': 'text/csv' },
        payload: file,
      });
    const html = await evidence('html');
    expect(html.statusCode, html.body.slice(0, 300)).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['content-disposition']).toBe('attachment; filename="trace-evidence.html"');
    expect(html.body).toContain(`<tr class="accused"><td>1</td><td>是</td>`);
    expect(html.body).toContain(`app:${second.application}`);
    const root = Buffer.from(/根哈希 <code>([0-9a-f]{64})<\/code>/.exec(html.body)![1]!, 'hex');
    const size = Number(/树大小 (\d+)/.exec(html.body)![1]);
    const proofs = [
      ...html.body.matchAll(
        /<tr><td>#(\d+)<\/td><td>([^<]+)<\/td><td>([0-9a-f]{64})<\/td><td>([0-9a-f ]*)<\/td><\/tr>/g,
      ),
    ];
    expect(proofs.length).toBeGreaterThan(0);
    for (const [, index, recipient, leaf, path] of proofs) {
      expect(recipient).toBe(`app:${second.application}`);
      const hashes = path!
        .split(' ')
        .filter(Boolean)
        .map((h) => Buffer.from(h, 'hex'));
      expect(verifyInclusion(Number(index), size, Buffer.from(leaf!, 'hex'), hashes, root)).toBe(true);
      // A proof of another entry's leaf against the same path fails: the check is not vacuous.
      expect(verifyInclusion(Number(index), size, Buffer.alloc(32), hashes, root)).toBe(false);
    }
    const pdf = await evidence('pdf');
    expect(pdf.statusCode, pdf.body.slice(0, 300)).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const logged = (await server.audit.entries({ type: 'tracing.traced' }, { limit: 10 })).items.at(-1);
    expect(logged?.data).toMatchObject({ outcome: 'traced', format: 'pdf' });
    expectRefusal(await evidence('docx'), 'invalid_request');
  });

  it('refuses an empty file, a file with nothing in common, and anyone but the security officer', async () => {
    expectRefusal(await trace(''), 'empty_file');
    expectRefusal(await trace('名称,备注\n甲,乙\n'), 'trace_no_match');
    expectRefusal(await trace('[{"x":1}]', officer, 'application/json'), 'trace_no_match');
    expectRefusal(await trace('金额,时间,编号\n1.00,2024-01-01 00:00:00,P1\n', steward), 'forbidden');
  });
});

describe('leak tracing bounds', () => {
  it('refuses a file past the size bound as it streams', async () => {
    const { readBounded } = await import('../../tracing/index.js');
    const chunks = (async function* () {
      for (let i = 0; i < 10; i++) yield Buffer.alloc(100);
    })();
    await expect(readBounded(chunks, 500)).rejects.toMatchObject({ status: 413, code: 'file_too_large' });
  });
});
