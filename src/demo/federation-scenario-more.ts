import type { Auth, PlatformClient } from './client.js';
import type { Planted } from './dataset.js';
import { FEDERATION_NODES } from './federation-nodes.js';

const FUJIAN = FEDERATION_NODES.find((n) => n.key === 'fujian')!.nodeId;

/** The 福建 verification interface the scenario checks a citizen's insurance with (无条件共享, 核验). */
export const INSURANCE_CHECK = '社保参保状态核验';

class StepFailure extends Error {}

const expect = (ok: boolean, message: string) => {
  if (!ok) throw new StepFailure(message);
};

/** What the scenario's later steps need: the 浙江 node, the application's key and 福建's codes. */
export interface CrossProvinceReads {
  zhejiang: PlatformClient;
  key: Auth;
  registrationCode: string;
  insuranceCode: string;
  creditCode: string;
  planted: Planted;
}

/**
 * 跨省核验 of a 福建 citizen's social insurance from 浙江 (the example): the insured
 * citizen's claim matches, the uninsured one's does not, and nothing but the yes/no leaves 福建.
 */
export async function verifyInsuranceAcross(reads: CrossProvinceReads, steps: string[]): Promise<void> {
  const path = `/api/v1/federation/nodes/${FUJIAN}/resources/${reads.insuranceCode}/verify`;
  const claim = async (idNumber: string) => {
    const response = await reads.zhejiang.raw(reads.key, 'POST', path, {
      values: { 公民身份号码: idNumber, 参保状态: '参保缴费' },
    });
    const text = await response.text();
    expect(response.ok, `POST ${path} at 浙江 answered ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const insured = await claim(reads.planted.insuredCitizen.idNumber);
  expect(
    insured.match === true,
    `福建 did not confirm the insured citizen's 参保缴费: ${JSON.stringify(insured)}`,
  );
  const uninsured = await claim(reads.planted.uninsuredCitizen.idNumber);
  expect(
    uninsured.match === false,
    `福建 confirmed 参保缴费 of a citizen without it: ${JSON.stringify(uninsured)}`,
  );
  expect(
    Object.keys(insured).every((k) => k === 'match' || k === 'items'),
    `the verification answered more than yes/no: ${Object.keys(insured).join(', ')}`,
  );
  steps.push(
    `浙江 verified through POST ${path}: a 福建 citizen's 参保缴费 → match ${String(insured.match)}; a citizen without it → match ${String(uninsured.match)} (nothing but the yes/no left 福建)`,
  );
}

/** A cross-node export (跨节点导出): the enterprise's registration as CSV, masked by 福建. */
export async function exportRegistrationAcross(reads: CrossProvinceReads, steps: string[]): Promise<void> {
  const filter = encodeURIComponent(
    JSON.stringify([{ column: 'credit_code', op: 'eq', value: reads.creditCode }]),
  );
  const path = `/api/v1/federation/nodes/${FUJIAN}/resources/${reads.registrationCode}/rows?format=csv&filter=${filter}`;
  const response = await reads.zhejiang.raw(reads.key, 'GET', path);
  const text = await response.text();
  expect(response.ok, `GET ${path} at 浙江 answered ${response.status}: ${text.slice(0, 300)}`);
  expect(
    (response.headers.get('content-type') ?? '').startsWith('text/csv'),
    `the export came as ${response.headers.get('content-type')}, not CSV`,
  );
  const lines = text.trim().split(/\r?\n/);
  expect(
    lines.length === 2 && lines[1]!.includes(reads.creditCode),
    `the CSV export holds ${lines.length - 1} rows, not the enterprise ${reads.creditCode}`,
  );
  steps.push(
    `浙江 exported the enterprise's registration as CSV through GET …/rows?format=csv (${Buffer.byteLength(text)} bytes, one row, 福建's masks)`,
  );
}

/** Federated SQL (跨节点联合查询): 浙江's application counts 福建 enterprises of one status by SQL. */
export async function queryAcross(reads: CrossProvinceReads, steps: string[]): Promise<void> {
  const sql = `SELECT count(*) AS n FROM "${FUJIAN}:${reads.registrationCode}" WHERE credit_code = '${reads.creditCode.replace(/'/g, "''")}'`;
  const response = await reads.zhejiang.raw(reads.key, 'POST', '/api/v1/query', { sql });
  const text = await response.text();
  expect(response.ok, `POST /api/v1/query at 浙江 answered ${response.status}: ${text.slice(0, 300)}`);
  const answer = JSON.parse(text) as { rows: Array<Record<string, unknown>> };
  expect(
    Number(answer.rows[0]?.n) === 1,
    `the SQL over 福建's resource counted ${String(answer.rows[0]?.n)}, not 1`,
  );
  steps.push(
    `浙江 ran POST /api/v1/query over "${FUJIAN}:${reads.registrationCode}" (the condition sent to 福建 as a filter): 1 enterprise`,
  );
}
