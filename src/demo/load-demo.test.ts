import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from '../../test/support/http.js';
import { ensureAdministrator } from '../server/index.js';
import { RESOURCES } from './catalog/index.js';
import { PlatformClient } from './client.js';
import { injectFetch } from './inject-fetch.js';
import { DEMANDS } from './load-demands.js';
import { loadDemo } from './load-demo.js';
import { ACCOUNTS, DEMO_PASSWORD, ORGANIZATIONS } from './members.js';

const BASE = 'http://demo.test';
let server: TestServer;
let dataDir: string;
let first: Awaited<ReturnType<typeof loadDemo>>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'huitong-demo-'));
  // As `npm start` runs it: every publication goes through catalog review (目录审核).
  server = await openTestServer('pglite', { HUITONG_DATA_DIR: dataDir, HUITONG_CATALOG_REVIEW: 'required' });
  await ensureAdministrator(server.store.db);
  first = await loadDemo({
    db: server.store.db,
    baseUrl: BASE,
    fetch: injectFetch(server.app),
    dataDir,
    profile: 'small',
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('loadDemo', () => {
  it('registers every member, and every account logs in with the demo password', async () => {
    expect(first.loaded).toBe(true);
    const client = new PlatformClient(BASE, injectFetch(server.app));
    const admin = await client.login('sjj.admin', DEMO_PASSWORD);
    const orgs = await client.all<{ name: string; kind: string }>(admin, '/api/v1/organizations');
    expect(orgs.map((o) => o.name)).toEqual(expect.arrayContaining(ORGANIZATIONS.map((o) => o.name)));
    expect(orgs.find((o) => o.kind === 'platform')?.name).toBe('福建省大数据管理局');
    for (const account of ACCOUNTS)
      await expect(client.login(account.username, DEMO_PASSWORD)).resolves.toBeTruthy();
  });

  it('publishes the catalog: open resources for anonymous visitors, drafts kept back', async () => {
    const client = new PlatformClient(BASE, injectFetch(server.app));
    const open = await client.all<{ name: string; status: string; openType: string }>(
      null,
      '/api/v1/resources',
    );
    expect(open.length).toBeGreaterThanOrEqual(10);
    expect(open.every((r) => r.status === 'published' && r.openType !== 'not_open')).toBe(true);
    const steward = await client.login('gat.steward', DEMO_PASSWORD);
    const own = await client.all<{ name: string }>(steward, '/api/v1/resources');
    expect(own.length).toBeGreaterThan(open.length);
    expect(first.report.counts.get('resources')).toBe(RESOURCES.length);
  });

  it('publishes through catalog review: approved by the demo reviewer, one entry left in the queue', async () => {
    const client = new PlatformClient(BASE, injectFetch(server.app));
    const reviewer = await client.login('sjj.reviewer', DEMO_PASSWORD);
    const approved = await client.all<{ kind: string }>(reviewer, '/api/v1/catalog/changes?status=approved');
    const published = RESOURCES.filter((r) => !r.draft).length;
    expect(approved.length).toBe(published);
    const pending = await client.all<{ resource: { name: string } }>(
      reviewer,
      '/api/v1/catalog/changes?status=pending',
    );
    expect(pending.map((c) => c.resource.name)).toEqual(
      RESOURCES.filter((r) => r.draft === 'in_review').map((r) => r.entry.name),
    );
  });

  it('serves every open resource with data to anonymous visitors, gated where it releases personal items', async () => {
    const client = new PlatformClient(BASE, injectFetch(server.app));
    const open = await client.all<{ code: string; name: string }>(null, '/api/v1/resources');
    const withData = new Set(RESOURCES.filter((r) => r.table).map((r) => r.entry.name));
    const served = open.filter((r) => withData.has(r.name));
    expect(served.length).toBeGreaterThan(0);
    for (const r of served) {
      const rows = await server.app.inject({ url: `/api/v1/resources/${r.code}/rows?limit=5` });
      expect(rows.statusCode, `${r.name}: ${rows.body}`).toBe(200);
      // A release that sends out a personal item carries a k-anonymity gate (issue 15).
      const release = (await server.app.inject({ url: `/api/v1/resources/${r.code}/open-release` })).json();
      const resource = (await server.app.inject({ url: `/api/v1/resources/${r.code}` })).json();
      const personal = new Set(
        (resource.items as Array<{ name: string; personal: boolean }>)
          .filter((i) => i.personal)
          .map((i) => i.name),
      );
      if ((release.items as Array<{ name: string }>).some((i) => personal.has(i.name)))
        expect(release.kAnonymity, r.name).not.toBeNull();
    }
  });

  it('uploads the data, binds every resource with data, and files and approves requests', () => {
    const { counts, waiting, failures } = first.report;
    expect(failures, failures.join('\n')).toEqual([]);
    expect(waiting.size).toBe(0);
    expect(counts.get('bindings')).toBe(RESOURCES.filter((r) => r.table).length);
    expect(counts.get('access requests')).toBe(10);
    expect(counts.get('grants')).toBe(6);
  });

  it('does nothing the second time', async () => {
    const again = await loadDemo({
      db: server.store.db,
      baseUrl: BASE,
      fetch: injectFetch(server.app),
      dataDir,
      profile: 'small',
    });
    expect(again.loaded).toBe(false);
  });

  it('posts the demands, one in each state, and closes the one answered by a new entry once the reviewer approves it', async () => {
    expect(first.report.counts.get('demands')).toBe(DEMANDS.length);
    const client = new PlatformClient(BASE, injectFetch(server.app));
    const admin = await client.login('sjj.admin', DEMO_PASSWORD);
    type Demand = { title: string; status: string };
    const list = async () => client.all<Demand>(admin, '/api/v1/governance/demands');
    const status = async () => Object.fromEntries((await list()).map((d) => [d.title, d.status]));
    expect(await status()).toEqual({
      学生资助发放信息: 'awaiting_publication',
      小微企业月度用电量: 'closed',
      残疾人两项补贴发放信息: 'returned',
      企业环境信用评价结果: 'submitted',
    });
    const reviewer = await client.login('sjj.reviewer', DEMO_PASSWORD);
    const [change] = await client.all<{ id: string; resource: { name: string } }>(
      reviewer,
      '/api/v1/catalog/changes?status=pending',
    );
    expect(change?.resource.name).toBe('学生资助发放信息');
    await client.call(reviewer, 'POST', `/api/v1/catalog/changes/${change!.id}/approve`, {});
    expect((await status()).学生资助发放信息).toBe('closed');
  });
});
