import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiKey, buildOrganization, buildSharedResource } from '../../test/support/factories.js';
import { nationalAndZhejiang, nationalPeople, providerOn } from '../../test/support/federation.js';
import type { TestServer } from '../../test/support/http.js';
import { expectRefusal } from '../../test/support/refusals.js';
import { serviceAvailable } from '../../test/support/services.js';
import { postgresTables } from '../../test/support/source-data.js';
import type { AuditEntry } from '../audit/index.js';
import { sha256Hex } from './index.js';

const up = await serviceAvailable('postgres');

// Federated SQL (跨节点联合查询, issue 17 item 4): an application of the Zhejiang node joins a
// local resource (Zhejiang's district names) with a resource of the national node (people) in
// one POST /api/v1/query. Zhejiang reads the national resource page by page through the national
// node, which enforces its grant (items, masks) and is sent the SQL's projection and its condition
// on the district as the rows API's fields and filter. Both logs hold each page: the national
// node's release entries, Zhejiang's receipts with the same SHA-256; Zhejiang's own release
// entry covers the answer. A conditional resource without a grant and a provider that is down are
// refused.
describe.skipIf(!up)('federated SQL joining a local and a remote resource (two nodes)', () => {
  let national: TestServer;
  let zhejiang: TestServer;
  let dropPeople: () => Promise<void>;
  let regions: Awaited<ReturnType<typeof postgresTables>>;
  let code: string;
  let conditional: string;
  let local: string;
  let key: string;

  const query = (sql: string, extra: Record<string, unknown> = {}) =>
    zhejiang.app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: { authorization: `Bearer ${key}` },
      payload: { sql, aliases: { regions: local }, ...extra },
    });
  const receipts = async () =>
    (await zhejiang.audit.entries({ type: 'federation.receipt' }, { limit: 200 }, 'asc')).items;

  beforeAll(async () => {
    ({ national, zhejiang } = await nationalAndZhejiang());
    const people = await nationalPeople(national, 6, [
      { sharingType: 'unconditional' },
      { sharingType: 'conditional' },
    ]);
    [code, conditional] = people.codes as [string, string];
    dropPeople = people.drop;

    // Zhejiang's own resource: district names, shared unconditionally by its statistics bureau.
    regions = await postgresTables({
      regions: {
        columns: ['qh', 'mc'],
        rows: [
          ['350102', '鼓楼区'],
          ['110105', '朝阳区'],
        ],
      },
    });
    const db = zhejiang.store.db;
    const bureau = await providerOn(
      zhejiang,
      { name: '浙江省统计局', level: 'provincial', regionCode: '330000' },
      '区划库',
    );
    const resource = await buildSharedResource(db, bureau.org.id, {
      sharingType: 'unconditional',
      sharingMethods: ['api'],
      items: [
        { name: '区划', field: 'qh', dataType: 'string' },
        { name: '区划名称', field: 'mc', dataType: 'string' },
      ],
    });
    await bureau.bind(resource.code, regions.schema, 'regions');
    local = resource.code;
    const consumer = await buildOrganization(db, {
      name: '浙江省人力资源和社会保障厅',
      level: 'provincial',
      regionCode: '330000',
    });
    key = (await buildApiKey(db, consumer.id)).key;
  }, 180_000);

  afterAll(async () => {
    await zhejiang?.close();
    await national?.close();
    await dropPeople?.();
    await regions?.drop();
  });

  it('joins the national people with Zhejiang’s districts: masked by the national grant, the filter pushed, both logs hold every page', async () => {
    // Two rows a page, so that the three people of 鼓楼区 take two pages (and a cursor).
    zhejiang.query.remoteLimits = { pageRows: 2 };
    const before = (await receipts()).length;
    const answer = await query(
      `SELECT p.xm, p.sfzh, r.mc FROM "cn-100000:${code}" p JOIN regions r ON p.qh = r.qh
       WHERE p.qh = '350102' ORDER BY p.sfzh`,
    ).finally(() => {
      zhejiang.query.remoteLimits = undefined;
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const rows = answer.json().rows as Array<Record<string, string>>;
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.mc).toBe('鼓楼区');
      // The national node's mask: the ID number shows its region and last four only.
      expect(row.sfzh).toMatch(/^350102\*{8}\d{3}[\dX]$/);
    }

    // Zhejiang's receipts for this query: the one-row read of the columns, then two pages.
    const mine = (await receipts()).slice(before);
    expect(mine.map((e) => e.data.rows)).toEqual([1, 2, 1]);
    const requestId = mine[0]!.requestId;
    expect(mine.every((e) => e.requestId === requestId)).toBe(true);
    for (const entry of mine) {
      const receipt = entry.data.receipt as { logIndex: number; completeIndex: number };
      const start = (await national.audit.entry(receipt.logIndex)) as AuditEntry;
      const complete = (await national.audit.entry(receipt.completeIndex)) as AuditEntry;
      expect(start).toMatchObject({ type: 'data.release.start', resources: [code] });
      expect(complete).toMatchObject({ type: 'data.release.complete', ref: receipt.logIndex });
      // The same bytes on both sides.
      expect(complete.data.sha256).toBe(entry.data.sha256);
      expect(complete.data.rows).toBe(entry.data.rows);
    }
    // The national node ran the pushed projection and condition: fewer rows than its six left.
    const lastPage = (await national.audit.entry(
      (mine[2]!.data.receipt as { logIndex: number }).logIndex,
    )) as AuditEntry;
    const asked = String(lastPage.data.query);
    expect(asked).toContain('"filters":[{"column":"qh","op":"eq","value":"350102"}]');
    expect(asked).toContain('"fields":["xm","sfzh","qh"]');

    // Zhejiang's own release of the answer names both resources, under the same request.
    const released = (
      await zhejiang.audit.entries({ type: 'data.release.complete' }, { limit: 20 }, 'desc')
    ).items.find((e) => e.requestId === requestId);
    expect(released?.data).toMatchObject({ rows: 3, sha256: sha256Hex(answer.body) });
    const opened = (await zhejiang.audit.entry(released!.ref as number)) as AuditEntry;
    expect(opened.resources).toEqual([local, `cn-100000:${code}`]);
  });

  it('refuses a conditional remote resource without a grant (no_grant), and sandbox-less modes it cannot serve', async () => {
    const before = (await receipts()).length;
    const refused = await query(`SELECT count(*) FROM "cn-100000:${conditional}"`);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.json().error.code).toBe('no_grant');
    expect((await receipts()).length).toBe(before);

    // A file would export what the provider granted as pages: JSON answers only.
    const csv = await query(`SELECT count(*) FROM "cn-100000:${code}"`, { format: 'csv' });
    expectRefusal(csv, 'remote_resource_not_supported');
  });

  it('refuses a page the provider node answered malformed (peer_bad_answer), using none of it', async () => {
    // A provider whose signed page does not hold what a page holds: the consumer uses none of it.
    zhejiang.query.remote = { read: async () => '{"rows": "not a page"}' };
    try {
      expectRefusal(await query(`SELECT count(*) FROM "cn-100000:${code}"`), 'peer_bad_answer');
    } finally {
      zhejiang.query.remote = undefined;
    }
  });

  it('refuses a provider that keeps paging without moving on (peer_bad_answer), asking a bounded number of pages', async () => {
    // A signed page with a cursor and no row, for ever: the query stops instead of paging on.
    const columns = [{ name: 'xm', type: 'string' }];
    let asked = 0;
    zhejiang.query.remote = {
      read: async (_caller, _node, _code, params) => {
        asked++;
        if (params.limit === 1 && !params.cursor)
          return JSON.stringify({ columns, rows: [{ xm: '张*' }], nextCursor: null });
        return JSON.stringify({ columns, rows: [], nextCursor: 'again' });
      },
    };
    try {
      expectRefusal(await query(`SELECT count(*) FROM "cn-100000:${code}"`), 'peer_bad_answer');
    } finally {
      zhejiang.query.remote = undefined;
    }
    // The plan's one-row read, then the first page that did not move on.
    expect(asked).toBe(2);
  });

  it('refuses a remote resource larger than the cap (remote_rows_exceeded), having read one row past it', async () => {
    zhejiang.query.remoteLimits = { rows: 4 };
    const before = (await receipts()).length;
    const refused = await query(`SELECT count(*) FROM "cn-100000:${code}"`).finally(() => {
      zhejiang.query.remoteLimits = undefined;
    });
    expectRefusal(refused, 'remote_rows_exceeded');
    expect((await receipts()).slice(before).map((e) => e.data.rows)).toEqual([1, 5]);
    // Under the cap it answers: an alias names the remote resource too.
    const counted = await query('SELECT count(*) AS n FROM people', {
      aliases: { people: `cn-100000:${code}` },
    });
    expect(counted.statusCode, counted.body).toBe(200);
    expect(counted.json().rows).toEqual([{ n: 6 }]);
  });

  it('answers peer_unreachable when the national node is down', async () => {
    await national.app.close();
    const down = await query(`SELECT count(*) FROM "cn-100000:${code}"`);
    expect(down.statusCode, down.body).toBe(502);
    expect(down.json().error.code).toBe('peer_unreachable');
  });
});
