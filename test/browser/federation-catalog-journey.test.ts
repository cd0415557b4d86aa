import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { huitongCommand } from '../support/cli-bundle.js';
import { TEST_OUTBOUND_ALLOW } from '../support/services.js';
import { axeViolations, describeFindings, latinRuns } from './support/a11y.js';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { expectNoConsoleErrors, signIn, visit } from './support/ui.js';

const run = promisify(execFile);

type Session = Awaited<ReturnType<typeof apiSession>>;

/**
 * An organisation with a data steward, a CSV file source, and a 无条件开放 resource over it,
 * published: what a node's catalog holds, set up through the API.
 */
async function publishOpenResource(
  server: RunningServer,
  org: { name: string; regionCode: string; level: 'national' | 'provincial' },
  steward: { username: string; password: string },
  resource: { name: string; summary: string },
): Promise<{ code: string; name: string }> {
  const admin = await apiSession(server.url, server.admin.username, server.admin.password);
  const created = await admin<{ id: string }>('POST', '/api/v1/organizations', {
    name: org.name,
    kind: 'department',
    level: org.level,
    regionCode: org.regionCode,
  });
  await admin('POST', '/api/v1/users', {
    orgId: created.id,
    displayName: '数据管理员',
    roles: ['data_steward'],
    mustChangePassword: false,
    ...steward,
  });
  const as: Session = await apiSession(server.url, steward.username, steward.password);
  const source = await as<{ source: { id: string } }>(
    'POST',
    `/api/v1/sources/files?name=${encodeURIComponent(resource.name)}&format=csv`,
    'qh,rs\n330100,100\n330200,200\n',
    'text/csv',
  );
  const made = await as<{ code: string; name: string }>('POST', '/api/v1/resources', {
    classificationCode: '101001',
    format: 'CSV',
    sharingMethods: ['api', 'file'],
    updateCycle: 'monthly',
    name: resource.name,
    summary: resource.summary,
    items: [
      { name: '区划代码', field: 'qh', dataType: 'string' },
      { name: '人数', field: 'rs', dataType: 'number' },
    ],
    sharingType: 'unconditional',
    openType: 'unconditional',
  });
  const schema = await as<{ tables: { name: string }[] }>(
    'GET',
    `/api/v1/sources/${source.source.id}/schema`,
  );
  await as('PUT', `/api/v1/resources/${made.code}/binding`, {
    sourceId: source.source.id,
    from: { kind: 'table', table: schema.tables[0]!.name },
  });
  await as('POST', `/api/v1/resources/${made.code}/publish`);
  return made;
}

/** Polls `probe` every 250 ms until it answers, failing after `ms` with what it saw last. */
async function eventually<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// Issue 17, item 7 in the console: remote resources with their node, and the catalog's sync
// state. Two real platform processes: the root (国家节点) and a province (浙江省节点) that joins
// it through the CLI and reports its catalog up every half second. The province publishes a
// resource; the root's portal finds it with its node tag and the 节点 facet, its page says where
// its rows are read, and the root's federation page shows the province's synchronisation.
describe.skipIf(!browserAvailable())(
  'browser: federated catalog in the portal and the federation page',
  () => {
    let root: RunningServer;
    let province: RunningServer;
    let b: TestBrowser;
    let p: TestBrowser | undefined;
    let remote: { code: string; name: string };
    let local: { code: string; name: string };

    const cli = async (dataDir: string, args: string[]) => {
      const { command, args: base } = huitongCommand();
      const { HUITONG_DATABASE_URL: _ignored, ...env } = process.env;
      return run(command, [...base, ...args], {
        env: { ...env, HUITONG_DATA_DIR: dataDir, HUITONG_OUTBOUND_ALLOW: TEST_OUTBOUND_ALLOW.join(',') },
        timeout: 90_000,
      });
    };

    beforeAll(async () => {
      const settings = {
        HUITONG_FEDERATION_REFRESH_SECONDS: '1',
        HUITONG_FEDERATION_REPORT_SECONDS: '0.5',
      };
      [root, province] = await Promise.all([startServer(settings), startServer(settings)]);
      await root.restart((dir) =>
        cli(dir, [
          'federation',
          'init',
          '--federation',
          '全国一体化政务数据共享',
          '--node-id',
          'cn-100000',
          '--region',
          '100000',
          '--name',
          '国家节点',
          '--level',
          'national',
          '--url',
          root.url,
        ]).then(() => undefined),
      );
      const rootAdmin = await apiSession(root.url, root.admin.username, root.admin.password);
      const { token } = await rootAdmin<{ token: string }>('POST', '/api/v1/federation/join-tokens', {
        validHours: 1,
      });
      await province.restart((dir) =>
        cli(dir, [
          'federation',
          'join',
          root.url,
          '--token',
          token,
          '--node-id',
          'zj-330000',
          '--region',
          '330000',
          '--name',
          '浙江省节点',
          '--level',
          'provincial',
          '--url',
          province.url,
          '--parent',
          'cn-100000',
        ]).then(() => undefined),
      );
      await rootAdmin('POST', '/api/v1/federation/members/zj-330000/decision', { decision: 'approve' });
      // The province holds the configuration that lists it before it reports.
      const provinceAdmin = await apiSession(province.url, province.admin.username, province.admin.password);
      await eventually(
        async () => {
          const held = await provinceAdmin<{ config: { version: number } | null }>(
            'GET',
            '/api/v1/federation/node',
          );
          return held.config && held.config.version >= 2 ? true : undefined;
        },
        30_000,
        'the province to hold configuration version 2',
      );
      [remote, local] = await Promise.all([
        publishOpenResource(
          province,
          { name: '浙江省人力资源和社会保障厅', regionCode: '330000', level: 'provincial' },
          { username: 'zj-steward', password: 'steward-password-1' },
          { name: '浙江省就业登记人数', summary: '浙江省各地市登记就业人数，按月更新。' },
        ),
        publishOpenResource(
          root,
          { name: '人力资源和社会保障部', regionCode: '110000', level: 'national' },
          { username: 'cn-steward', password: 'steward-password-1' },
          { name: '全国就业登记人数汇总', summary: '全国各省登记就业人数汇总。' },
        ),
      ]);
      // Within a few report intervals the root's search holds the province's entry.
      await eventually(
        async () => {
          const found = (await (
            await fetch(`${root.url}/api/v1/catalog/search?q=${encodeURIComponent('就业登记')}`)
          ).json()) as { items: { code: string }[] };
          return found.items.some((i) => i.code === remote.code) ? true : undefined;
        },
        30_000,
        "the province's entry at the root",
      );
      b = await openBrowser(root.url, undefined, { bypassCSP: true });
    }, 300_000);
    afterEach(async (context) => {
      if (context.task.result?.state === 'fail')
        await b?.screenshot(`fail-federation-catalog-${context.task.name.slice(0, 20)}`);
    });
    afterAll(async () => {
      await p?.close();
      await b?.close();
      await Promise.all([province?.stop(), root?.stop()]);
    });

    it("finds the province's resource at the root with its node, and filters on the node", async () => {
      const { page } = b;
      await visit(page, `/portal?q=${encodeURIComponent('就业登记')}`, /资源目录/);
      const results = page.getByTestId('search-result');
      const remoteHit = results.filter({ hasText: remote.name });
      const localHit = results.filter({ hasText: local.name });
      await remoteHit.waitFor();
      await localHit.waitFor();
      // Each entry names its node beside its provider.
      expect((await remoteHit.getByTestId('result-node').textContent())?.trim()).toBe('浙江省节点');
      expect((await localHit.getByTestId('result-node').textContent())?.trim()).toBe('国家节点');
      // Another node's organisation has no page here: its name is not a link.
      expect(await remoteHit.getByRole('link', { name: '浙江省人力资源和社会保障厅' }).count()).toBe(0);
      await localHit.getByRole('link', { name: '人力资源和社会保障部' }).waitFor();

      await b.screenshot('97-federated-search-all');
      const facet = page.getByRole('list', { name: '节点' });
      await facet.getByText('国家节点').waitFor();
      // The state is in the URL: the box shows ticked once the filtered search has answered.
      await facet.getByRole('checkbox', { name: '浙江省节点' }).click();
      await page.waitForURL(/node=zj-330000/);
      await page.getByTestId('results-heading').getByText('共找到 1 个资源').waitFor();
      expect(await facet.getByRole('checkbox', { name: '浙江省节点' }).isChecked()).toBe(true);
      await localHit.waitFor({ state: 'detached' });
      expect(await results.count()).toBe(1);
      await b.screenshot('97-federated-search');
      expect(describeFindings(await axeViolations(page))).toBe('');
      expect(await latinRuns(page)).toEqual([]);
    }, 60_000);

    it("opens the province's entry: its catalog fields and where its rows are read, never a broken page", async () => {
      const { page } = b;
      await page.getByRole('link', { name: remote.name }).click();
      await page.getByRole('heading', { level: 1, name: remote.name }).waitFor();
      const note = page.getByTestId('remote-resource-note');
      await note.getByText('本资源由「浙江省节点」提供，数据保存在该节点').waitFor();
      expect(await note.locator('code').textContent()).toBe(
        `GET /api/v1/federation/nodes/zj-330000/resources/${remote.code}/rows`,
      );
      await page.getByRole('tab', { name: /信息项/ }).click();
      await page.getByRole('cell', { name: '区划代码' }).waitFor();
      await b.screenshot('97-federated-remote-resource');
      expect(describeFindings(await axeViolations(page))).toBe('');
      expect(await latinRuns(page)).toEqual([]);

      // The root's own entry still opens its own page (with its rows preview).
      await visit(page, `/portal?q=${encodeURIComponent('就业登记')}`, /资源目录/);
      await page.getByRole('link', { name: local.name }).click();
      await page.getByRole('heading', { level: 1, name: local.name }).waitFor();
      expect(await page.getByTestId('remote-resource').count()).toBe(0);
      await page.getByRole('tab', { name: /预览/ }).waitFor();
      expectNoConsoleErrors(b.errors);
    }, 60_000);

    it("shows the province's catalog synchronisation on the root's federation page, and the province's reporting", async () => {
      const { page } = b;
      await signIn(page, root.admin.username, root.admin.password);
      // The workbench's 共享目录 (the signed-in view of the same search, for stewards and
      // analysts) shows the node too.
      const s = await openBrowser(root.url, undefined, { bypassCSP: true });
      try {
        await signIn(s.page, 'cn-steward', 'steward-password-1');
        await visit(s.page, `/workbench/catalog?q=${encodeURIComponent('就业登记')}`, /共享目录/);
        const hit = s.page.getByTestId('search-result').filter({ hasText: remote.name });
        expect((await hit.getByTestId('result-node').textContent())?.trim()).toBe('浙江省节点');
        await s.page.getByRole('list', { name: '节点' }).getByText('浙江省节点').waitFor();
        expect(await latinRuns(s.page)).toEqual([]);
        expectNoConsoleErrors(s.errors);
      } finally {
        await s.close();
      }

      await visit(page, '/admin/federation', '联邦节点');
      const row = page.getByTestId('fed-sync-nodes').getByRole('row', { name: /浙江省节点/ });
      await row.getByText('同步正常').waitFor();
      await row.getByRole('cell', { name: '1', exact: true }).waitFor();
      await row.getByText(/秒前/).waitFor();
      // The root reports to no one.
      expect(await page.getByTestId('fed-sync-report').count()).toBe(0);
      await b.screenshot('97-federation-sync-root');
      expect(describeFindings(await axeViolations(page))).toBe('');
      expect(await latinRuns(page)).toEqual([]);

      p = await openBrowser(province.url, undefined, { bypassCSP: true });
      await signIn(p.page, province.admin.username, province.admin.password);
      await visit(p.page, '/admin/federation', '联邦节点');
      const report = p.page.getByTestId('fed-sync-report');
      await report.getByTestId('fed-sync-report-state').getByText('上报正常').waitFor();
      await report.getByText('国家节点').waitFor();
      await p.screenshot('97-federation-sync-province');
      expect(describeFindings(await axeViolations(p.page))).toBe('');
      expect(await latinRuns(p.page)).toEqual([]);
      expectNoConsoleErrors(p.errors);
      expectNoConsoleErrors(b.errors);
    }, 60_000);

    it('shows the province its reporting failing while the root is down, with the code and why', async () => {
      await root.stop();
      // A change to report (with nothing new the reporter only sends a heartbeat every 30 s).
      const steward = await apiSession(province.url, 'zj-steward', 'steward-password-1');
      await steward('PATCH', `/api/v1/resources/${remote.code}`, {
        summary: '浙江省各地市登记就业人数，按月更新，含灵活就业。',
      });
      const page = p!.page;
      const report = page.getByTestId('fed-sync-report');
      // The page asks again every 10 s; the reporter fails at once (connection refused).
      await report.getByTestId('fed-sync-report-state').getByText('上报失败').waitFor({ timeout: 30_000 });
      const error = report.getByTestId('fed-sync-report-error');
      await error.getByText(/最近一次上报失败/).waitFor();
      await error.getByText('peer_unreachable', { exact: true }).waitFor();
      await error.getByText('下次上报从已确认的位置继续，上级节点恢复后自动补齐。').waitFor();
      await p!.screenshot('97-federation-sync-province-failing');
      expect(describeFindings(await axeViolations(page))).toBe('');
      expect(await latinRuns(page)).toEqual([]);
      expectNoConsoleErrors(p!.errors);
    }, 60_000);
  },
);
