import { createHash } from 'node:crypto';
import type { ApplicationView } from '../identity/index.js';
import { type Auth, PlatformClient } from './client.js';
import type { Planted } from './dataset.js';
import { FEDERATION_NODES, ZHEJIANG_MARKET } from './federation-nodes.js';
import {
  exportRegistrationAcross,
  INSURANCE_CHECK,
  queryAcross,
  verifyInsuranceAcross,
} from './federation-scenario-more.js';
import { DEMO_PASSWORD } from './members.js';
import type { ScenarioOutcome } from './scenarios/context.js';

/** The three nodes' base URLs. */
export interface FederationUrls {
  national: string;
  fujian: string;
  zhejiang: string;
}

/** The default URLs: the three nodes on this machine, on 8040, 8041 and 8042. */
export function defaultFederationUrls(host = 'http://127.0.0.1'): FederationUrls {
  const url = (key: string) => `${host}:${FEDERATION_NODES.find((n) => n.key === key)!.port}`;
  return { national: url('national'), fujian: url('fujian'), zhejiang: url('zhejiang') };
}

const FUJIAN = FEDERATION_NODES.find((n) => n.key === 'fujian')!.nodeId;
/** The 福建 resources the scenario reads from 浙江: both shared unconditionally (无条件共享). */
export const CROSS_PROVINCE_RESOURCES = {
  registration: '企业登记基本信息公示',
  power: '分行业月度用电量统计',
} as const;

type Entry = { index: number; type: string; requestId: string | null; data: Record<string, unknown> };
type SearchItem = { code: string; name: string; node?: { nodeId: string } };

class ScenarioFailure extends Error {}

const expect = (ok: boolean, message: string) => {
  if (!ok) throw new ScenarioFailure(message);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page read through the 浙江 node, with the SHA-256 of the exact bytes the application received. */
async function readRemote(
  zhejiang: PlatformClient,
  key: Auth,
  code: string,
  query: string,
): Promise<{ rows: Array<Record<string, unknown>>; sha256: string }> {
  const path = `/api/v1/federation/nodes/${FUJIAN}/resources/${code}/rows${query}`;
  const response = await zhejiang.raw(key, 'GET', path);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(
    response.ok,
    `GET ${path} at 浙江 answered ${response.status}: ${bytes.toString('utf8').slice(0, 300)}`,
  );
  const page = JSON.parse(bytes.toString('utf8')) as { rows: Array<Record<string, unknown>> };
  return { rows: page.rows, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Polls the national node's catalog search until 福建's entry is there (catalog reporting). */
async function findAtNational(
  national: PlatformClient,
  auth: Auth,
  name: string,
  timeoutMs: number,
): Promise<{ item: SearchItem; ms: number }> {
  const started = Date.now();
  for (;;) {
    const found = await national.call<{ items: SearchItem[] }>(
      auth,
      'GET',
      `/api/v1/catalog/search?q=${encodeURIComponent(name)}&node=${FUJIAN}&limit=50`,
    );
    const item = found.items.find((i) => i.name === name && i.node?.nodeId === FUJIAN);
    if (item) return { item, ms: Date.now() - started };
    expect(
      Date.now() - started < timeoutMs,
      `the national node's catalog search shows no ${name} of ${FUJIAN} after ${timeoutMs / 1000} s: is 福建 reporting to it?`,
    );
    await sleep(500);
  }
}

/** The newest entries of one type in a node's audit log, as an auditor reads them. */
async function entries(client: PlatformClient, auth: Auth, type: string): Promise<Entry[]> {
  const page = await client.call<{ items: Entry[] }>(
    auth,
    'GET',
    `/api/v1/audit/entries?type=${encodeURIComponent(type)}&order=desc&limit=100`,
  );
  return page.items;
}

/** Polls until `find` returns an entry (the receipt entry is durable before the page is passed on; this only absorbs clock slack). */
async function waitForEntry(
  client: PlatformClient,
  auth: Auth,
  type: string,
  match: (e: Entry) => boolean,
  what: string,
): Promise<Entry> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const hit = (await entries(client, auth, type)).find(match);
    if (hit) return hit;
    expect(Date.now() < deadline, what);
    await sleep(300);
  }
}

/**
 * 跨省核验 (issue 17 item 8): 浙江省市场监督管理局 verifies a 福建 enterprise through its own node.
 * Expected: 福建's entries are searchable at the national node; the 浙江 application reads the
 * enterprise's registration (masked by 福建's rules) and its industry's power use in its city
 * through `GET /api/v1/federation/nodes/fj-350000/…`; 浙江's log holds federation.receipt and
 * 福建's log data.release.start/complete, with the same SHA-256 of the page.
 */
export async function crossProvince(
  urls: FederationUrls,
  options: { searchTimeoutMs?: number; planted: Planted },
): Promise<ScenarioOutcome> {
  const steps: string[] = [];
  const evidence: Record<string, unknown> = {};
  const outcome = (ok: boolean): ScenarioOutcome => ({
    name: 'cross-province',
    title: '跨省核验：浙江省市场监管局经浙江节点核验福建企业登记与用电',
    ok,
    steps,
    evidence,
  });
  const national = new PlatformClient(urls.national.replace(/\/$/, ''));
  const fujian = new PlatformClient(urls.fujian.replace(/\/$/, ''));
  const zhejiang = new PlatformClient(urls.zhejiang.replace(/\/$/, ''));
  try {
    const gj = await national.login('gj.admin', DEMO_PASSWORD);
    const timeout = options.searchTimeoutMs ?? 30_000;
    const registration = await findAtNational(national, gj, CROSS_PROVINCE_RESOURCES.registration, timeout);
    const power = await findAtNational(national, gj, CROSS_PROVINCE_RESOURCES.power, timeout);
    const insurance = await findAtNational(national, gj, INSURANCE_CHECK, timeout);
    steps.push(
      `国家节点 catalog search finds ${registration.item.name} (${registration.item.code}) and ${power.item.name} (${power.item.code}) under ${FUJIAN} (reported up; found after ${(Math.max(registration.ms, power.ms) / 1000).toFixed(1)} s of polling)`,
    );

    const admin = await zhejiang.login('zjscjg.admin', DEMO_PASSWORD);
    const app = (await zhejiang.all<ApplicationView>(admin, '/api/v1/applications')).find(
      (a) => a.name === ZHEJIANG_MARKET.application,
    );
    expect(app !== undefined, `浙江 has no application ${ZHEJIANG_MARKET.application}: was the demo loaded?`);
    const minted = await zhejiang.call<{ key: string; apiKey: { id: string } }>(
      admin,
      'POST',
      `/api/v1/applications/${app!.id}/keys`,
      { name: `cross-province ${new Date().toISOString()}`, roles: ['analyst'] },
    );
    steps.push(`zjscjg.admin minted a key for ${app!.name} (浙江省市场监督管理局)`);
    const key: Auth = { bearer: minted.key };
    try {
      const creditCode = await readAndAudit(
        zhejiang,
        fujian,
        key,
        registration.item.code,
        power.item.code,
        steps,
        evidence,
      );
      const reads = {
        zhejiang,
        key,
        registrationCode: registration.item.code,
        insuranceCode: insurance.item.code,
        creditCode,
        planted: options.planted,
      };
      await verifyInsuranceAcross(reads, steps);
      await exportRegistrationAcross(reads, steps);
      await queryAcross(reads, steps);
    } finally {
      // An application holds few live keys: each run gives its own back.
      await zhejiang.call(admin, 'POST', `/api/v1/applications/${app!.id}/keys/${minted.apiKey.id}/revoke`);
    }
    return outcome(true);
  } catch (error) {
    steps.push(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return outcome(false);
  }
}

async function readAndAudit(
  zhejiang: PlatformClient,
  fujian: PlatformClient,
  key: Auth,
  registrationCode: string,
  powerCode: string,
  steps: string[],
  evidence: Record<string, unknown>,
): Promise<string> {
  const first = await readRemote(zhejiang, key, registrationCode, '?limit=1');
  const enterprise = first.rows[0];
  expect(enterprise !== undefined, `${CROSS_PROVINCE_RESOURCES.registration} of 福建 has no rows`);
  const creditCode = String(enterprise!.credit_code);
  const filter = encodeURIComponent(JSON.stringify([{ column: 'credit_code', op: 'eq', value: creditCode }]));
  const page = await readRemote(zhejiang, key, registrationCode, `?filter=${filter}`);
  expect(page.rows.length === 1, `the filter on credit_code ${creditCode} answered ${page.rows.length} rows`);
  const row = page.rows[0]!;
  expect(row.credit_code === creditCode, `the row read is ${String(row.credit_code)}, not ${creditCode}`);
  // 福建's masks, applied by 福建 before the page left it: the legal representative's name.
  const representative = String(row.legal_rep_name ?? '');
  expect(representative.includes('*'), `法定代表人 arrived unmasked: ${representative}`);
  steps.push(
    `浙江 read ${String(row.name)} (${creditCode}, ${String(row.status)}) through GET /api/v1/federation/nodes/${FUJIAN}/resources/${registrationCode}/rows?filter=…; 法定代表人 masked by 福建: ${representative}`,
  );
  evidence.enterprise = { creditCode, name: row.name, legalRepresentative: representative };
  evidence.sha256 = page.sha256;

  const city = `${String(row.region_code).slice(0, 4)}00`;
  const powerFilter = encodeURIComponent(
    JSON.stringify([
      { column: 'city_code', op: 'eq', value: city },
      { column: 'industry_name', op: 'eq', value: String(row.industry_name) },
    ]),
  );
  const use = await readRemote(zhejiang, key, powerCode, `?filter=${powerFilter}&sort=month`);
  const kwh = use.rows.reduce((n, r) => n + Number(r.kwh ?? 0), 0);
  steps.push(
    `浙江 read the power use of ${String(row.industry_name)} in ${city} from 福建: ${use.rows.length} months, ${kwh.toLocaleString('en')} kWh`,
  );

  const zjAuditor = await zhejiang.login('zj.auditor', DEMO_PASSWORD);
  const receipt = await waitForEntry(
    zhejiang,
    zjAuditor,
    'federation.receipt',
    (e) => e.data.sha256 === page.sha256,
    `浙江's audit log holds no federation.receipt with SHA-256 ${page.sha256}`,
  );
  expect(
    receipt.data.provider === FUJIAN,
    `the receipt names ${String(receipt.data.provider)}, not ${FUJIAN}`,
  );
  steps.push(
    `浙江's log #${receipt.index}: federation.receipt from ${FUJIAN}, SHA-256 ${page.sha256.slice(0, 16)}…`,
  );

  const fjAuditor = await fujian.login('sjj.auditor', DEMO_PASSWORD);
  const complete = await waitForEntry(
    fujian,
    fjAuditor,
    'data.release.complete',
    (e) => e.data.sha256 === page.sha256,
    `福建's audit log holds no data.release.complete with SHA-256 ${page.sha256}`,
  );
  const { entry: start, proof } = await fujian.call<{
    entry: Entry & { resources: string[] };
    proof: { path: string[] } | null;
  }>(fjAuditor, 'GET', `/api/v1/audit/entries/${String((complete as Entry & { ref: number | null }).ref)}`);
  expect(
    start.type === 'data.release.start' && start.resources.includes(registrationCode),
    `福建's release completion #${complete.index} does not follow a data.release.start of ${registrationCode}`,
  );
  // The receipt 浙江 holds points at these very entries of 福建's log.
  const held = receipt.data.receipt as { logIndex?: number; completeIndex?: number } | undefined;
  expect(
    held?.logIndex === start.index && held?.completeIndex === complete.index,
    `浙江's receipt points at 福建's entries #${String(held?.logIndex)}/#${String(held?.completeIndex)}, not #${start.index}/#${complete.index}`,
  );
  steps.push(
    `福建's log #${start.index} data.release.start and #${complete.index} data.release.complete of ${registrationCode}, the same SHA-256; the receipt points at both${proof ? " (inclusion proof in 福建's latest checkpoint)" : ''}`,
  );
  evidence.receiptIndex = receipt.index;
  evidence.releaseIndexes = [start.index, complete.index];
  return creditCode;
}
