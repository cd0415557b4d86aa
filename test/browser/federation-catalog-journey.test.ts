import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeFindings, latinRuns } from './support/a11y.js';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { eventually, publishResource, startTwoNodes } from './support/federation-nodes.js';
import type { RunningServer } from './support/server.js';
import { expectNoConsoleErrors, signIn, visit } from './support/ui.js';

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

    beforeAll(async () => {
      ({ root, province } = await startTwoNodes({
        HUITONG_FEDERATION_REFRESH_SECONDS: '1',
        HUITONG_FEDERATION_REPORT_SECONDS: '0.5',
      }));
      [remote, local] = await Promise.all([
        publishResource(
          province,
          { name: '浙江省人力资源和社会保障厅', regionCode: '330000', level: 'provincial' },
          { username: 'zj-steward', password: 'steward-password-1' },
          { name: '浙江省就业登记人数', summary: '浙江省各地市登记就业人数，按月更新。' },
        ),
        publishResource(
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
