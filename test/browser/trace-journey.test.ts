import { readFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, describeFindings, latinRuns } from './support/a11y.js';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { expectNoConsoleErrors, signIn, visit } from './support/ui.js';

// Issue 18, item 6 in the console: a steward marks the amount of a resource (± 0.01, keyed by its
// ID); two applications of one consumer read it through the API; a cut, re-sorted, rounded part
// of the first one's copy is uploaded on 溯源追踪 by a security officer, who sees that application
// ranked first and accused, with the accusation threshold; an empty file and a file that matches
// nothing get their refusals in Chinese.
const COUNT = 400;
const CSV = `id,amount,district\n${Array.from(
  { length: COUNT },
  (_, i) => `P${1000 + i},${((i * 7919) % 100_000) / 100},${i % 2 ? '鼓楼区' : '台江区'}`,
).join('\n')}\n`;
const STEWARD = { username: 'trace-steward', password: 'steward-password-1' };
const ANALYST = { username: 'trace-analyst', password: 'analyst-password-1' };
const OFFICER = { username: 'trace-officer', password: 'officer-password-1' };

describe.skipIf(!browserAvailable())('browser: tracing a leaked file to its recipient', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let leak: string;

  beforeAll(async () => {
    server = await startServer();
    const admin = await apiSession(server.url, server.admin.username, server.admin.password);
    const me = await admin<{ organization: { id: string } }>('GET', '/api/v1/auth/me');
    const org = (name: string, level: string, regionCode: string) =>
      admin<{ id: string }>('POST', '/api/v1/organizations', { name, kind: 'department', level, regionCode });
    const provider = await org('福建省民政厅', 'provincial', '350000');
    const consumer = await org('福州市医疗保障局', 'municipal', '350100');
    const person = (orgId: string, who: typeof STEWARD, displayName: string, roles: string[]) =>
      admin('POST', '/api/v1/users', { orgId, displayName, roles, mustChangePassword: false, ...who });
    await person(provider.id, STEWARD, '林管理', ['data_steward']);
    await person(consumer.id, ANALYST, '黄分析', ['analyst']);
    await person(me.organization.id, OFFICER, '吴安全', ['security_officer']);

    const steward = await apiSession(server.url, STEWARD.username, STEWARD.password);
    const upload = await steward<{ source: { id: string } }>(
      'POST',
      '/api/v1/sources/files?name=payments',
      CSV,
      'text/csv',
    );
    const { code } = await steward<{ code: string }>('POST', '/api/v1/resources', {
      classificationCode: '101001',
      format: 'CSV',
      sharingMethods: ['api', 'file'],
      updateCycle: 'monthly',
      name: '救助金发放明细',
      summary: '按对象编号列出的救助金发放金额。',
      items: [
        { name: '编号', field: 'id', dataType: 'string' },
        { name: '金额', field: 'amount', dataType: 'number' },
        { name: '区划', field: 'district', dataType: 'string' },
      ],
      sharingType: 'unconditional',
      openType: 'not_open',
    });
    await steward('PUT', `/api/v1/resources/${code}/binding`, {
      sourceId: upload.source.id,
      from: { kind: 'table', table: 'data' },
    });
    await steward('POST', `/api/v1/resources/${code}/publish`);
    await steward('PUT', `/api/v1/resources/${code}/tracing`, {
      keyItem: '编号',
      items: [{ item: '金额', kind: 'number', tolerance: 0.01 }],
    });

    // Two applications of the consumer, each with its key, each reads its own marked copy.
    const analyst = await apiSession(server.url, ANALYST.username, ANALYST.password);
    const copyOf = async (name: string) => {
      const application = await analyst<{ id: string }>('POST', '/api/v1/applications', { name });
      const { key } = await analyst<{ key: string }>('POST', `/api/v1/applications/${application.id}/keys`, {
        name: `${name}密钥`,
      });
      const response = await fetch(`${server.url}/api/v1/resources/${code}/rows?format=csv`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.text())
        .trim()
        .split(/\r?\n/)
        .slice(1)
        .map((line) => line.split(','));
    };
    const leaked = await copyOf('医疗救助审核系统');
    await copyOf('医保结算系统');
    // Every other row, re-sorted by amount, rounded to the tolerance, the key column last.
    leak = `金额,编号\n${leaked
      .filter((_, i) => i % 2 === 0)
      .sort((x, y) => Number(y[1]) - Number(x[1]))
      .map(([id, amount]) => `${Number(amount).toFixed(2)},${id}`)
      .join('\n')}\n`;
    // bypassCSP: the accessibility check adds axe-core to the page.
    b = await openBrowser(server.url, undefined, { bypassCSP: true });
  }, 180_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await b?.screenshot(`fail-trace-${context.task.name.slice(0, 20)}`);
  });
  afterAll(async () => {
    await b?.close();
    await server?.stop();
  });

  const drop = (name: string, text: string) =>
    b.page
      .locator('input[type=file]')
      .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

  it('ranks the application whose copy leaked first, accused, with the threshold', async () => {
    const { page } = b;
    await signIn(page, OFFICER.username, OFFICER.password);
    await visit(page, '/security/trace', '数据溯源追踪');
    await drop('泄露副本.csv', leak);
    const report = page.getByTestId('trace-report');
    await report.getByText(`文件：泄露副本.csv，${COUNT / 2} 行`).waitFor();
    await report.getByText(/指认阈值：得分不低于 [\d.]+ 才会被指认/).waitFor();
    await report.getByText('1 个接收方达到指认阈值。').waitFor();
    const rows = page.getByTestId('trace-suspects').locator('tbody tr.ant-table-row');
    expect(await rows.count()).toBe(2);
    const first = rows.nth(0);
    await first.getByText('医疗救助审核系统', { exact: true }).waitFor();
    await first.getByText('福州市医疗保障局').waitFor();
    // The key that took the copy, and the person who created it.
    await first.getByText('密钥：医疗救助审核系统密钥（黄分析（trace-analyst） 创建）').waitFor();
    await first.getByText('指认', { exact: true }).waitFor();
    await first.getByText(/审计记录 #\d+/).waitFor();
    await rows.nth(1).getByText('医保结算系统', { exact: true }).waitFor();
    await rows.nth(1).getByText('未达阈值').waitFor();
    await b.screenshot('90-trace-suspects');
    // The report itself (which the route sweep, with no file uploaded, does not see): axe and zh-CN.
    expect(describeFindings(await axeViolations(page))).toBe('');
    // The account name of the key's creator is data, not UI text.
    expect(await latinRuns(page, [ANALYST.username])).toEqual([]);

    // The evidence report for the investigation file: downloaded, naming the accused application,
    // with the inclusion proofs of its release entries and the signed checkpoint.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出证据报告（网页）' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('trace-evidence.html');
    const html = (await readFile((await download.path())!)).toString('utf8');
    expect(html).toContain('<h1>泄露溯源证据报告</h1>');
    expect(html).toMatch(/<tr class="accused"><td>1<\/td><td>是<\/td><td>医疗救助审核系统<\/td>/);
    expect(html).toMatch(/<h2>交付日志条目的包含性证明<\/h2>\n<p>签名检查点：树大小 \d+/);
    expect(html).toMatch(/<tr><td>#\d+<\/td><td>app:[^<]+<\/td><td>[0-9a-f]{64}<\/td>/);
    expectNoConsoleErrors(b.errors);
  }, 150_000);

  it('says in Chinese when the file is empty or matches no marked release', async () => {
    const { page } = b;
    await drop('空文件.csv', '');
    const refusal = page.getByTestId('trace-refusal');
    await refusal.getByText(/文件为空，或没有数据行/).waitFor();
    expect(await page.getByTestId('trace-report').count()).toBe(0);
    await drop('无关文件.csv', '姓名,年龄\n张三,30\n李四,40\n');
    await refusal.getByText(/没有匹配：文件与任何带标记的交付都没有共同的键列和容差列/).waitFor();
    await b.screenshot('91-trace-no-match');
    // The two refusals are 400s the browser logs as failed loads; nothing else went wrong.
    expect(b.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  }, 60_000);
});
