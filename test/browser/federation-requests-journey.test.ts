import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeFindings, latinRuns } from './support/a11y.js';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { eventually, publishResource, startTwoNodes } from './support/federation-nodes.js';
import type { RunningServer } from './support/server.js';
import { choose, expectNoConsoleErrors, settled, signIn, submitAndWaitForURL, visit } from './support/ui.js';

const ANALYST = { username: 'cn-analyst', password: 'analyst-password-1' };
const STEWARD = { username: 'zj-steward', password: 'steward-password-1' };

// Issue 17, item 4 in the console: 跨节点共享申请. Two real platform processes: the root
// (国家节点) and 浙江省节点, which reports its catalog up (a node holds the catalogs below it, so
// the root's portal shows the province's entries). An analyst of a national ministry opens the
// province's 有条件共享 entry at the root, applies from the root with the local form; 浙江's
// steward approves one of the two items (and refuses a second request with its reason); the root's
// 跨节点申请 page shows 部分同意, the granted item and how the application reads it, and 不予同意
// with 不予共享理由 and its text. With the province down, a third request is recorded
// as 发送中 (202), said so in the form's notice and the list.
describe.skipIf(!browserAvailable())('browser: cross-node access requests in the console', () => {
  let root: RunningServer;
  let province: RunningServer;
  let b: TestBrowser;
  let remote: { code: string; name: string };
  let applicationId: string;

  beforeAll(async () => {
    ({ root, province } = await startTwoNodes({
      HUITONG_FEDERATION_REFRESH_SECONDS: '1',
      HUITONG_FEDERATION_REPORT_SECONDS: '0.5',
    }));
    remote = await publishResource(
      province,
      { name: '浙江省人力资源和社会保障厅', regionCode: '330000', level: 'provincial' },
      STEWARD,
      { name: '浙江省失业保险金领取人数', summary: '浙江省各地市失业保险金领取人数，按月更新。' },
      {
        sharingType: 'conditional',
        openType: 'not_open',
        sharingConditions: '仅用于就业失业形势监测，不得向第三方提供',
      },
    );
    // The root: a ministry, its analyst and its application.
    const admin = await apiSession(root.url, root.admin.username, root.admin.password);
    const ministry = await admin<{ id: string }>('POST', '/api/v1/organizations', {
      name: '人力资源和社会保障部',
      kind: 'department',
      level: 'national',
      regionCode: '110000',
    });
    await admin('POST', '/api/v1/users', {
      orgId: ministry.id,
      displayName: '部数据分析员',
      roles: ['analyst'],
      mustChangePassword: false,
      ...ANALYST,
    });
    const analyst = await apiSession(root.url, ANALYST.username, ANALYST.password);
    ({ id: applicationId } = await analyst<{ id: string }>('POST', '/api/v1/applications', {
      name: '全国就业监测系统',
      description: '就业失业形势监测',
    }));
    // Within a few report intervals the root's search holds the province's entry (members see it).
    await eventually(
      async () => {
        const found = await analyst<{ items: { code: string }[] }>(
          'GET',
          `/api/v1/catalog/search?node=zj-330000&name=${encodeURIComponent(remote.code)}`,
        );
        return found.items.some((i) => i.code === remote.code) ? true : undefined;
      },
      30_000,
      "the province's entry at the root",
    );
    b = await openBrowser(root.url, undefined, { bypassCSP: true });
  }, 300_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-federation-requests-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await b?.close();
    await Promise.all([province?.stop(), root?.stop()]);
  });

  /** Fills the form on the province's entry page and submits it. */
  const apply = async (purpose: string, screenshot?: string) => {
    const { page } = b;
    await visit(page, `/portal/resources/${remote.code}?node=zj-330000`, remote.name);
    await page.getByTestId('apply-open').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('仅用于就业失业形势监测').waitFor();
    await drawer
      .getByTestId('apply-remote-note')
      .getByText('申请从本节点发送至「浙江省节点」，由该节点的数据管理员按共享申请流程审批', { exact: false })
      .waitFor();
    await choose(page, '使用的应用系统', '全国就业监测系统');
    for (const item of ['区划代码', '人数']) await drawer.getByLabel(item).check();
    await drawer.getByLabel('使用用途').fill(purpose);
    await drawer.getByLabel('申请依据').fill('《失业保险条例》第二十九条');
    if (screenshot) {
      await b.screenshot(screenshot);
      expect(describeFindings(await axeViolations(page))).toBe('');
    }
    await submitAndWaitForURL(page, drawer.getByTestId('apply-submit'), '**/workbench/remote-requests');
    await settled(page, { path: '/workbench/remote-requests', landmark: '跨节点申请' });
  };
  const row = (purposeOrResource: string) =>
    b.page.getByRole('row').filter({ hasText: purposeOrResource }).filter({ hasText: '浙江省节点' });

  it('applies from the root for the province’s conditional entry; the list shows it pending at the province', async () => {
    await signIn(b.page, ANALYST.username, ANALYST.password);
    await apply('就业失业形势监测', '98-remote-apply-form');
    const page = b.page;
    const mine = row(remote.name);
    await mine.getByText('待审批').waitFor();
    expect(await mine.count()).toBe(1);
    await mine.getByRole('cell', { name: '全国就业监测系统' }).waitFor();
    await b.screenshot('98-remote-requests-pending');
    expect(describeFindings(await axeViolations(page))).toBe('');
    expect(await latinRuns(page)).toEqual([]);
    expectNoConsoleErrors(b.errors);
  }, 120_000);

  it('shows the province steward’s decision: one item granted, with how the application reads it', async () => {
    // A second request, filed through the API, that the steward refuses.
    const analyst = await apiSession(root.url, ANALYST.username, ANALYST.password);
    const second = await analyst<{ providerRequestId: string }>(
      'POST',
      '/api/v1/federation/remote-requests',
      {
        providerNodeId: 'zj-330000',
        resourceCode: remote.code,
        applicationId,
        items: ['人数'],
        purpose: '失业人数统计',
        legalBasis: '《失业保险条例》第二十九条',
        validUntil: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      },
    );
    // The province's steward decides both in the usual list: the first for 区划代码 only.
    const steward = await apiSession(province.url, STEWARD.username, STEWARD.password);
    const todo = await steward<{ items: { id: string; resource: { code: string } }[] }>(
      'GET',
      '/api/v1/access-requests?scope=todo',
    );
    const filed = todo.items.find(
      (r) => r.resource.code === remote.code && r.id !== second.providerRequestId,
    );
    expect(filed).toBeDefined();
    await steward('POST', `/api/v1/access-requests/${filed!.id}/approve`, {
      items: [{ name: '区划代码' }],
      comment: '人数另行提供',
    });
    await steward('POST', `/api/v1/access-requests/${second.providerRequestId}/reject`, {
      reason: 'excessive_items',
      text: '人数已在统计公报中公开',
    });

    // The page asks the province when it loads.
    const page = b.page;
    await visit(page, '/workbench/remote-requests', '跨节点申请');
    const refused = row(remote.name).filter({ hasText: '不予同意' });
    await refused.getByText('申请信息项超出必要范围').waitFor();
    await refused.getByRole('button', { name: /展开行/ }).click();
    expect((await page.getByTestId('rr-rejection').textContent())?.trim()).toBe(
      '申请信息项超出必要范围：人数已在统计公报中公开',
    );
    // No read path for a refusal.
    expect(await page.getByTestId('rr-read').count()).toBe(0);
    await b.screenshot('98-remote-requests-refused');
    await refused.getByRole('button', { name: /关闭行/ }).click();
    const mine = row(remote.name).filter({ hasText: '部分同意' });
    await mine.getByText('部分同意').waitFor();
    await mine.getByText('同意 1/2 项').waitFor();
    await mine.getByRole('button', { name: /展开行/ }).click();
    const details = page.getByTestId('rr-details');
    expect((await details.getByTestId('rr-granted').textContent())?.trim()).toBe('区划代码 · 不脱敏');
    await details
      .getByTestId('rr-read')
      .getByText(`GET /api/v1/federation/nodes/zj-330000/resources/${remote.code}/rows`)
      .waitFor();
    await b.screenshot('98-remote-requests-decided');
    expect(describeFindings(await axeViolations(page))).toBe('');
    expect(await latinRuns(page)).toEqual([]);
    expectNoConsoleErrors(b.errors);
  }, 120_000);

  it('says a request is sending when the province cannot be reached, and lists it so with the error', async () => {
    await province.stop();
    await apply('失业保险金发放核对');
    const page = b.page;
    await page
      .getByText('「浙江省节点」暂时无法连接：申请已在本节点登记（发送中），将自动重新发送')
      .waitFor();
    const mine = row('失业保险金').filter({ hasText: '发送中' });
    await mine.waitFor();
    await mine.getByRole('button', { name: /展开行/ }).click();
    await page
      .getByTestId('rr-check-error')
      .getByText('提供节点暂时无法连接，申请已在本节点登记，将自动重新发送', { exact: false })
      .waitFor();
    await b.screenshot('98-remote-requests-sending');
    expect(describeFindings(await axeViolations(page))).toBe('');
    expect(await latinRuns(page)).toEqual([]);
  }, 120_000);
});
