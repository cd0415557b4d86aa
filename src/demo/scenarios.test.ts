import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from '../../test/support/http.js';
import { type DeliveryLoop, startDeliveryLoop } from '../exchange/index.js';
import { sweepDeadlines } from '../governance/index.js';
import { ensureAdministrator } from '../server/index.js';
import { PlatformClient } from './client.js';
import { generateDemoData } from './dataset.js';
import { injectFetch } from './inject-fetch.js';
import { loadDemo } from './load-demo.js';
import { PROFILES } from './profiles.js';
import { MASKED_ID, type ScenarioContext } from './scenarios/context.js';
import { SCENARIOS } from './scenarios/index.js';

// Every scenario of docs/scenarios/, run through the HTTP API against a server loaded with the
// small profile, asserting its outcome.
let server: TestServer;
let dataDir: string;
let ctx: ScenarioContext;
let delivery: DeliveryLoop | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'huitong-scenarios-'));
  server = await openTestServer('pglite', { HUITONG_DATA_DIR: dataDir });
  await ensureAdministrator(server.store.db);
  const fetch = injectFetch(server.app);
  await loadDemo({ db: server.store.db, baseUrl: 'http://demo.test', fetch, dataDir, profile: 'small' });
  // What the server's deadline sweep does once the demo is loaded (serve.ts).
  await sweepDeadlines(server.store.db, server.audit);
  // …and its subscription delivery (server/subscriptions.ts): the capture of subscribed sources.
  delivery = startDeliveryLoop(server.query, { tickMs: 300, onError: () => undefined });
  ctx = {
    client: new PlatformClient('http://demo.test', fetch),
    planted: generateDemoData(PROFILES.small).planted,
    checkpointNow: () => server.audit.checkpoint(),
  };
}, 180_000);

afterAll(async () => {
  await delivery?.stop();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('demo scenarios', () => {
  it('综合分析风险因素: finds exactly the planted shell companies', async () => {
    const outcome = await SCENARIOS['shell-companies']!(ctx);
    expect(outcome.evidence.found).toEqual(ctx.planted.shellCompanies);
    expect(outcome.ok).toBe(true);
  });

  it('精准扶贫: finds the planted 低保 households, every ID number masked', async () => {
    const outcome = await SCENARIOS['subsistence-check']!(ctx);
    for (const id of outcome.evidence.ids as string[]) expect(id).toMatch(MASKED_ID);
    expect(outcome.evidence.certificates).toEqual(outcome.evidence.expected);
    expect(outcome.ok).toBe(true);
  });

  it('可用不可见: a statistics grant answers noisy counts and averages, and refuses the rows', async () => {
    const outcome = await SCENARIOS['subsistence-statistics']!(ctx);
    expect(outcome.ok, outcome.steps.join('\n')).toBe(true);
    const answer = outcome.evidence.answer as { groups: Array<{ values: Array<{ value: number }> }> };
    // The averages are clamped to the allowance's declared range.
    for (const g of answer.groups) expect(g.values[1]!.value).toBeLessThanOrEqual(6000);
  });

  it('数据多跑路: verification answers only yes or no, and rightly', async () => {
    const outcome = await SCENARIOS['verify-citizen']!(ctx);
    for (const answer of outcome.evidence.answers as object[]) expect(Object.keys(answer)).toEqual(['match']);
    expect(outcome.ok, outcome.steps.join('\n')).toBe(true);
  });

  it('办理时限与异议处理: the overdue request is escalated, the objection corrected and confirmed', async () => {
    const outcome = await SCENARIOS['deadlines-objection']!(ctx);
    expect(outcome.ok, outcome.steps.join('\n')).toBe(true);
    expect(outcome.evidence.overdue).toMatchObject({ escalated: true, consumerName: expect.any(String) });
  });

  it('溯源: the export is in the log with an inclusion proof to the signed checkpoint', async () => {
    const outcome = await SCENARIOS['trace-export']!(ctx);
    expect(outcome.ok, outcome.steps.join('\n')).toBe(true);
  }, 60_000);

  it('泄露溯源: a leaked part of one copy is traced to the application it was delivered to', async () => {
    const outcome = await SCENARIOS['leak-trace']!(ctx);
    expect(outcome.ok, outcome.steps.join('\n')).toBe(true);
    const suspects = outcome.evidence.suspects as Array<{
      recipient: string;
      accused: boolean;
      name: string;
    }>;
    expect(suspects[0]).toMatchObject({ recipient: `app:${outcome.evidence.system}`, accused: true });
    expect(suspects[0]!.name).toBe('供应商准入管理系统');
    // The analyst's own copy (and trace-export's) names a person who is ranked but not accused.
    expect(suspects.filter((s) => s.recipient.startsWith('user:')).every((s) => !s.accused)).toBe(true);
    expect(suspects.length).toBeGreaterThan(1);
    expect((outcome.evidence.proofs as { total: number }).total).toBeGreaterThan(0);
    rmSync(dirname(outcome.evidence.leakPath as string), { recursive: true, force: true });
  }, 120_000);

  it('订阅推送: a citizen moving reaches the enrolment system subscription as one masked update', async () => {
    const outcome = await SCENARIOS['residence-push']!(ctx);
    expect(outcome.ok, outcome.steps.join('\n')).toBe(true);
    const [event] = outcome.evidence.events as Array<{ op: string; row: Record<string, unknown> }>;
    expect(event?.op).toBe('update');
    expect(String(event?.row.id_number)).toMatch(MASKED_ID);
    expect(outcome.evidence.snapshot as number).toBeGreaterThan(100);
  }, 180_000);
});
