import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { buildSharingFixture, PEOPLE, type SharingFixture } from './support/sharing-fixture.js';
import { choose, expectNoConsoleErrors, signIn, signOut, visit } from './support/ui.js';

const TITLE = '城乡特困人员名单';

// The demand list (需求清单, docs/governance.md) in the real console: a consumer posts a demand,
// the platform administrator assigns it, the department answers with a new catalog entry, the
// entry is published, and the demand shows as closed. The sweep is off: the closing is seen when
// the list is read. The workflow's rules and refusals are tested beside the routes.
describe.skipIf(!browserAvailable())('browser: demand list', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let data: SharingFixture;

  beforeAll(async () => {
    server = await startServer({ HUITONG_DEADLINE_SWEEP_MINUTES: '0' });
    data = await buildSharingFixture(server);
    b = await openBrowser(server.url);
  }, 180_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-demands-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  it('takes a demand from posting to closed through assignment, a new entry and its publication', async () => {
    const { page } = b;
    const dialog = page.getByRole('dialog');
    const row = page.getByRole('row').filter({ hasText: TITLE });
    const openDemand = async () => {
      await page.getByRole('button', { name: TITLE }).click();
      await dialog.getByText('办理记录').waitFor();
    };

    // The consumer posts what it needs, naming the department it believes holds it.
    await signIn(page, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await visit(page, '/workbench/demands', '需求清单');
    await page.getByTestId('demand-post').click();
    await dialog.getByLabel('需求名称').fill(TITLE);
    await dialog.getByLabel('需求描述').fill('全省城乡特困供养人员名单，目录中暂无');
    await dialog.getByLabel('用途').fill('医疗救助对象资格核对');
    await dialog.getByLabel('依据').fill('《社会救助暂行办法》第二十八条');
    await dialog.getByLabel('数据项名称 1').fill('姓名');
    await choose(page, '建议承办部门', '福建省民政厅');
    await b.screenshot('80-demand-form');
    await dialog.getByTestId('demand-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await row.locator('[data-status="submitted"]').waitFor();
    await signOut(page);

    // The platform administrator assigns it (the suggestion is preselected).
    await signIn(page, server.admin.username, server.admin.password);
    await visit(page, '/workbench/demands', '需求清单');
    await openDemand();
    await dialog.getByRole('button', { name: '分派', exact: true }).click();
    await dialog.locator('[data-status="assigned"]').waitFor();
    await dialog.getByText('分派给 福建省民政厅').waitFor();
    await b.screenshot('81-demand-assigned');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await signOut(page);

    // The department answers with a new catalog entry of its own, still a draft.
    await signIn(page, PEOPLE.steward.username, PEOPLE.steward.password);
    await visit(page, '/workbench/demands', '需求清单');
    await choose(page, '范围', '分派给本单位的');
    await row.waitFor();
    await openDemand();
    await dialog.getByRole('radio', { name: '新编目录' }).check();
    await dialog.getByLabel('资源代码').fill(data.unbound.code);
    await dialog.getByLabel('说明').fill('已新编目录，发布后即可申请');
    await dialog.getByRole('button', { name: '提交答复' }).click();
    await dialog.locator('[data-status="awaiting_publication"]').waitFor();
    await dialog.getByTestId('demand-answer').getByText(data.unbound.name).waitFor();
    await b.screenshot('82-demand-answered');
    await page.keyboard.press('Escape');
    await signOut(page);

    // The entry is published (publishing has its own journeys; here only that the demand follows).
    const steward = await apiSession(server.url, PEOPLE.steward.username, PEOPLE.steward.password);
    await steward('POST', `/api/v1/resources/${data.unbound.code}/publish`);

    // The requester sees it closed, with the entry and the history.
    await signIn(page, PEOPLE.analyst.username, PEOPLE.analyst.password);
    await visit(page, '/workbench/demands', '需求清单');
    await row.locator('[data-status="closed"]').waitFor();
    await openDemand();
    await dialog.getByText('目录已发布，需求办结').waitFor();
    await dialog.getByRole('link', { name: data.unbound.name }).waitFor();
    expect(await dialog.getByTestId('demand-status').getAttribute('data-status')).toBe('closed');
    await b.screenshot('83-demand-closed');
    await page.keyboard.press('Escape');

    // The status filter finds it among the closed ones; the search by a word of its description too.
    await choose(page, '状态', '已办结');
    await row.waitFor();
    await page.getByLabel('搜索需求名称、描述、用途或数据项').fill('特困供养');
    await page.getByLabel('搜索需求名称、描述、用途或数据项').press('Enter');
    await row.waitFor();
    expectNoConsoleErrors(b.errors);
  }, 300_000);
});
