import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openStore } from '../../src/store/index.js';
import { SERVICES, serviceAvailable } from '../support/services.js';
import { postgresPeople } from '../support/source-data.js';
import { axeViolations, describeFindings, latinRuns } from './support/a11y.js';
import { apiSession } from './support/api.js';
import { browserAvailable, openBrowser, type TestBrowser } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { expectNoConsoleErrors, signIn, signOut, visit } from './support/ui.js';

// Issue 16, item 5 in the console: a consumer application subscribes (webhook) to a resource
// captured from the machine's PostgreSQL by logical replication. Its endpoint is down, so the
// snapshot waits (answered 500): the 数据订阅 page shows the subscription active, its events pending and the
// failures; the analyst reads, the organisation's administrator pauses it (已暂停) and tries a
// dead letter's replay (the channel refuses: the server's message). The provider's steward sees
// the subscriber on the resource's page; the platform's administrator sees the source's capture.
const STEWARD = { username: 'gat-steward', password: 'steward-password-1' };
const ANALYST = { username: 'rst-analyst', password: 'analyst-password-1' };
const ORG_ADMIN = { username: 'rst-admin', password: 'orgadmin-password-1' };
const ROWS = 5;
const RESOURCE = '人口基本信息';
const SOURCE = '人口库';
const CONSUMER = '福建省人力资源和社会保障厅';
const APP = '社保待遇资格认证系统';
// The endpoint's path, shown in the target column: data, not UI text.
const DATA_WORDS = ['hooks', 'people'];

interface Subscription {
  id: string;
  status: string;
  delivery: { lag: number; attempts: number; lastError: string | null };
}

/** The consumer's endpoint, down for maintenance: every batch is answered 500 (and not taken). */
async function failingEndpoint(): Promise<{ url: string; posts: () => number; close: () => Promise<void> }> {
  let posts = 0;
  const endpoint = createServer((request, response) => {
    posts++;
    request.resume();
    response.writeHead(500).end('维护中');
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const { port } = endpoint.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/people`,
    posts: () => posts,
    close: () => new Promise((resolve) => endpoint.close(() => resolve())),
  };
}

const up = browserAvailable() && (await serviceAvailable('postgres'));

describe.skipIf(!up)('browser: subscriptions in the console (数据订阅, 订阅方, 变更采集状态)', () => {
  let server: RunningServer;
  let b: TestBrowser;
  let people: Awaited<ReturnType<typeof postgresPeople>>;
  let code: string;
  let key: string;
  let sourceId: string;
  let subscription: Subscription;
  let endpoint: Awaited<ReturnType<typeof failingEndpoint>>;

  beforeAll(async () => {
    people = await postgresPeople(ROWS);
    server = await startServer();
    const admin = await apiSession(server.url, server.admin.username, server.admin.password);
    const org = (name: string, level: string, regionCode: string) =>
      admin<{ id: string }>('POST', '/api/v1/organizations', { name, kind: 'department', level, regionCode });
    const provider = await org('福建省公安厅', 'provincial', '350000');
    const consumer = await org(CONSUMER, 'provincial', '350000');
    const person = (orgId: string, who: typeof STEWARD, displayName: string, roles: string[]) =>
      admin('POST', '/api/v1/users', { orgId, displayName, roles, mustChangePassword: false, ...who });
    await person(provider.id, STEWARD, '林管理', ['data_steward']);
    await person(consumer.id, ANALYST, '黄分析', ['analyst']);
    await person(consumer.id, ORG_ADMIN, '陈主任', ['org_admin']);

    const steward = await apiSession(server.url, STEWARD.username, STEWARD.password);
    sourceId = (
      await steward<{ id: string }>('POST', '/api/v1/sources', {
        kind: 'postgres',
        name: SOURCE,
        host: SERVICES.postgres.host,
        port: SERVICES.postgres.port,
        database: 'test',
        user: 'postgres',
        tls: { mode: 'disable' },
      })
    ).id;
    code = (
      await steward<{ code: string }>('POST', '/api/v1/resources', {
        classificationCode: '101001',
        format: 'JSON',
        sharingMethods: ['api'],
        updateCycle: 'realtime',
        name: RESOURCE,
        summary: '户籍人口的姓名、身份证号与所在区划。',
        items: [
          { name: '姓名', field: 'xm', dataType: 'string', personal: true, personalKind: 'basic' },
          {
            name: '身份证号',
            field: 'sfzh',
            dataType: 'string',
            personal: true,
            personalKind: 'identity_document',
          },
          { name: '区划', field: 'qh', dataType: 'string' },
        ],
        sharingType: 'conditional',
        sharingConditions: '仅用于社保待遇资格认证，不得向第三方提供',
        openType: 'not_open',
      })
    ).code;
    await steward('PUT', `/api/v1/resources/${code}/binding`, {
      sourceId,
      from: { kind: 'table', schema: people.schema, table: 'people' },
    });
    await steward('POST', `/api/v1/resources/${code}/publish`);

    const analyst = await apiSession(server.url, ANALYST.username, ANALYST.password);
    const applicationId = (await analyst<{ id: string }>('POST', '/api/v1/applications', { name: APP })).id;
    key = (
      await analyst<{ key: string }>('POST', `/api/v1/applications/${applicationId}/keys`, {
        name: `${APP}密钥`,
      })
    ).key;
    const request = await analyst<{ id: string }>('POST', '/api/v1/access-requests', {
      applicationId,
      resourceCode: code,
      items: ['姓名', '身份证号', '区划'],
      purpose: '社保待遇资格认证',
      legalBasis: '《社会保险法》',
      expectedCallsPerDay: 100,
      expectedRowsPerDay: 10_000,
      validUntil: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    });
    await steward('POST', `/api/v1/access-requests/${request.id}/approve`, {
      items: [{ name: '姓名' }, { name: '身份证号' }, { name: '区划' }],
    });

    // The application subscribes with its key; its endpoint answers 500, so nothing is taken.
    endpoint = await failingEndpoint();
    const created = await fetch(`${server.url}/api/v1/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ resourceCode: code, channel: { kind: 'webhook', url: endpoint.url } }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    // The dispatcher tries the snapshot and fails: wait for the failure to be recorded.
    const orgAdmin = await apiSession(server.url, ORG_ADMIN.username, ORG_ADMIN.password);
    const deadline = Date.now() + 60_000;
    for (;;) {
      subscription = await orgAdmin<Subscription>('GET', `/api/v1/subscriptions/${id}`);
      if (subscription.delivery.lastError) break;
      if (Date.now() > deadline) throw new Error('the webhook failure was not recorded within a minute');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(subscription).toMatchObject({ status: 'active', delivery: { lag: ROWS } });

    // A dead letter as 24 h of failures would have parked (the server's threshold is a day).
    await server.restart(async (dataDir) => {
      const store = await openStore({ dataDir: join(dataDir, 'pglite') });
      try {
        await migrate(store);
        await store.db
          .insertInto('subscription_dead_letters')
          .values({
            id: randomUUID(),
            subscription_id: id,
            first_seq: 1,
            last_seq: 2,
            events: 2,
            error: 'webhook_status_500',
            attempts: 14,
            created_at: new Date(Date.now() - 3_600_000),
            replayed_at: null,
          })
          .execute();
      } finally {
        await store.close();
      }
    });
    b = await openBrowser(server.url, undefined, { bypassCSP: true });
  }, 300_000);

  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    await b?.screenshot(`fail-subscriptions-${context.task.name.slice(0, 20)}`);
    // Signed out, so that the next journey starts from the sign-in form.
    await b?.page.context().clearCookies();
  });

  afterAll(async () => {
    await b?.close();
    // Deleting the last subscription drops the source's slot and publication.
    if (server && subscription)
      await fetch(`${server.url}/api/v1/subscriptions/${subscription.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${key}` },
      }).catch(() => undefined);
    await server?.stop();
    // Never leave a slot behind on the machine's PostgreSQL: it would hold WAL for ever.
    if (sourceId) {
      const name = `huitong_${sourceId.replace(/[^0-9a-f]/gi, '').toLowerCase()}`;
      const client = new pg.Client({ connectionString: SERVICES.postgres.url });
      await client.connect();
      await client
        .query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [
          name,
        ])
        .catch(() => undefined);
      await client.query(`DROP PUBLICATION IF EXISTS ${name}`).catch(() => undefined);
      await client.end();
    }
    await people?.drop();
    await endpoint?.close();
  });

  it('shows the analyst the subscription, its status, pending events and failures, read-only', async () => {
    const { page } = b;
    await signIn(page, ANALYST.username, ANALYST.password);
    await page.getByRole('link', { name: '数据订阅' }).first().waitFor();
    await visit(page, '/workbench/subscriptions', '数据订阅');
    const row = page.getByTestId('subscriptions-table').locator('tbody tr.ant-table-row');
    await row.getByText(RESOURCE).waitFor();
    expect(await row.count()).toBe(1);
    await row.getByText(APP).waitFor();
    await row.getByText('回调（Webhook）').waitFor();
    await row.getByText(endpoint.url).waitFor();
    expect(await row.getByTestId('sub-status').textContent()).toBe('正常');
    expect(await row.getByTestId('sub-lag').textContent()).toBe(`${ROWS} 条`);
    await row.getByText('回调地址返回状态码 500').waitFor();
    await row.getByText(/已重试 \d+ 次/).waitFor();
    await row.getByText(/下次重试/).waitFor();
    await page.getByText('只读：暂停、恢复与重放由本单位管理员操作。').waitFor();
    expect(await row.getByTestId('sub-pause').count()).toBe(0);
    await b.screenshot('sub-01-analyst');
    expect(describeFindings(await axeViolations(page))).toBe('');
    expect(await latinRuns(page, DATA_WORDS)).toEqual([]);

    // The details: the dead letter is listed, without 重放 for an analyst.
    await row.getByRole('button', { name: `详情 ${RESOURCE}` }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByTestId('dead-letters').getByText('回调地址返回状态码 500').waitFor();
    expect(await drawer.getByTestId('dead-letter-replay').count()).toBe(0);
    expect(await latinRuns(page, DATA_WORDS, drawer)).toEqual([]);
    await page.keyboard.press('Escape');
    await signOut(page);
    expectNoConsoleErrors(b.errors);
  }, 120_000);

  it('lets the organisation’s administrator replay a dead letter (refused) and pause the subscription', async () => {
    const { page } = b;
    await signIn(page, ORG_ADMIN.username, ORG_ADMIN.password);
    await visit(page, '/workbench/subscriptions', '数据订阅');
    const row = page.getByTestId('subscriptions-table').locator('tbody tr.ant-table-row');
    await row.getByText(RESOURCE).waitFor();

    // The endpoint still refuses: the replay fails with the server's words, the letter stays.
    const before = endpoint.posts();
    await row.getByRole('button', { name: `详情 ${RESOURCE}` }).click();
    const drawer = page.getByRole('dialog');
    const letter = drawer.getByTestId('dead-letters').locator('tbody tr.ant-table-row');
    await letter.getByText('未重放').waitFor();
    await b.screenshot('sub-02-dead-letters');
    await letter.getByTestId('dead-letter-replay').click();
    await page.getByText('推送通道未接收重放，死信保留').waitFor();
    b.errors.splice(0); // the refused replay's 502 is the point of this step
    expect(endpoint.posts()).toBeGreaterThan(before);
    await letter.getByText('未重放').waitFor();
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    await row.getByRole('button', { name: `暂停 ${RESOURCE}` }).click();
    await page.getByRole('tooltip').getByRole('button', { name: '暂停' }).click();
    await page.getByText('已暂停订阅', { exact: true }).waitFor();
    await row.getByTestId('sub-status').getByText('已暂停').waitFor();
    await row.getByTestId('sub-reason').getByText('订阅方暂停').waitFor();
    await row.getByRole('button', { name: `恢复 ${RESOURCE}` }).waitFor();
    expect(await row.getByTestId('sub-pause').count()).toBe(0);
    await b.screenshot('sub-03-paused');
    expect(await latinRuns(page, DATA_WORDS)).toEqual([]);

    const admin = await apiSession(server.url, ORG_ADMIN.username, ORG_ADMIN.password);
    const now = await admin<Subscription & { reason: string }>(
      'GET',
      `/api/v1/subscriptions/${subscription.id}`,
    );
    expect(now).toMatchObject({ status: 'paused', reason: 'consumer' });
    await signOut(page);
    expectNoConsoleErrors(b.errors);
  }, 120_000);

  it('shows the provider’s steward who subscribes on the resource’s page, and nobody else', async () => {
    const { page } = b;
    await signIn(page, STEWARD.username, STEWARD.password);
    await visit(page, `/portal/resources/${code}`, RESOURCE);
    await page.getByRole('tab', { name: /订阅方/ }).click();
    const row = page.getByTestId('resource-subscribers').locator('tbody tr.ant-table-row');
    await row.getByText(CONSUMER).waitFor();
    await row.getByText('回调（Webhook）').waitFor();
    await row.getByText('已暂停').waitFor();
    await b.screenshot('sub-04-subscribers');
    expect(await latinRuns(page, DATA_WORDS)).toEqual([]);
    // Signed out from a page a visitor may see (a visitor's resource page asks for what it may not).
    await visit(page, '/home', /欢迎/);
    await signOut(page);

    // The consumer's analyst reads the resource, without the provider's section.
    await signIn(page, ANALYST.username, ANALYST.password);
    await visit(page, `/portal/resources/${code}`, RESOURCE);
    await page.getByRole('tab', { name: /信息项/ }).waitFor();
    expect(await page.getByRole('tab', { name: /订阅方/ }).count()).toBe(0);
    await visit(page, '/home', /欢迎/);
    await signOut(page);
    expectNoConsoleErrors(b.errors);
  }, 120_000);

  it('shows the platform’s administrator the source’s change capture', async () => {
    const { page } = b;
    await signIn(page, server.admin.username, server.admin.password);
    await page.getByRole('link', { name: '变更采集状态' }).first().waitFor();
    await visit(page, '/admin/capture', '变更采集状态');
    const row = page.getByTestId('capture-table').locator('tbody tr.ant-table-row');
    await row.getByText(SOURCE).waitFor();
    expect(await row.count()).toBe(1);
    await row.getByText('逻辑复制').waitFor();
    await row.getByText('已建立').waitFor();
    expect(await row.getByTestId('capture-retained').textContent()).toMatch(/^[\d.,]+ (字节|KB|MB|GB)$/);
    // Far below the default threshold: no alert.
    expect(await row.getByTestId('capture-alert').count()).toBe(0);
    await row.getByText('正常').waitFor();
    await b.screenshot('sub-05-capture');
    expect(describeFindings(await axeViolations(page))).toBe('');
    expect(await latinRuns(page, DATA_WORDS)).toEqual([]);
    expectNoConsoleErrors(b.errors);
  }, 120_000);
});
