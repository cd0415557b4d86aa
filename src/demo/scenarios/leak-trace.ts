import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RawBody } from '../client.js';
import { APPLICATIONS } from '../load-sharing.js';
import { route } from '../pending-routes.js';
import { codeOf, login, type ScenarioContext, type ScenarioOutcome } from './context.js';
import { rootFromInclusionProof } from './inclusion-proof.js';

const KEY = '统一社会信用代码';
const AMOUNT = '2024年度纳税额(万元)';

interface Suspect {
  recipient: string;
  name: string | null;
  kind: string;
  accused: boolean;
  innocentProbability: number;
  organization: { name: string | null };
}

/** A CSV answer as rows of cells (the demo's values hold no comma or quote). */
const parse = (csv: string) =>
  csv
    .trim()
    .split(/\r?\n/)
    .map((line) => line.split(','));

/**
 * 泄露溯源: 国家税务总局福建省税务局's steward marks the tax amount of 企业纳税信息 (± 0.01 万元,
 * keyed by the credit code). 福建海峡冷链物流 takes two copies under its grant: its supplier
 * system through an API key, its analyst through the console. A cut, re-sorted, rounded part of
 * the system's copy turns up; the bureau's security officer traces it and downloads the evidence
 * report. Expected: the system is the first suspect and the only one accused, the analyst is
 * not, and every inclusion proof of the report recomputes the signed checkpoint's root.
 */
export async function leakTrace(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const steps: string[] = [];
  const steward = await login(ctx, 'sw.steward');
  const code = await codeOf(ctx, steward, '企业纳税信息');
  await ctx.client.call(steward, 'PUT', `/api/v1/resources/${code}/tracing`, {
    keyItem: KEY,
    items: [{ item: AMOUNT, kind: 'number', tolerance: 0.01 }],
  });
  steps.push(`sw.steward marked ${AMOUNT} of ${code} 企业纳税信息 (± 0.01, keyed by ${KEY})`);

  const analyst = await login(ctx, 'llwl.analyst');
  const system = (await ctx.client.all<{ id: string; name: string }>(analyst, '/api/v1/applications')).find(
    (a) => a.name === APPLICATIONS.llwl!.name,
  );
  if (!system) throw new Error(`no application ${APPLICATIONS.llwl!.name}: is the demo loaded?`);
  const { key } = await ctx.client.call<{ key: string }>(
    analyst,
    'POST',
    `/api/v1/applications/${system.id}/keys`,
    { name: '溯源演示密钥' },
  );
  const [method, path] = route('rows', { code });
  const copyOf = async (auth: Parameters<typeof ctx.client.raw>[0]) => {
    const response = await ctx.client.raw(auth, method, `${path}?format=csv&header=name`);
    const text = await response.text();
    if (!response.ok) throw new Error(`export refused: ${response.status} ${text.slice(0, 200)}`);
    return parse(text);
  };
  const [header, ...systemRows] = await copyOf({ bearer: key });
  const analystRows = (await copyOf(analyst)).slice(1);
  steps.push(
    `福建海峡冷链物流 took two marked copies: ${system.name} (API key) ${systemRows.length} rows, llwl.analyst ${analystRows.length} rows`,
  );

  // The leak: three rows in four of the system's copy, the key and the amount only, re-sorted by
  // amount, rounded to the tolerance.
  const k = header!.indexOf(KEY);
  const a = header!.indexOf(AMOUNT);
  const leaked = systemRows
    .filter((_, i) => i % 4 !== 0)
    .map((row) => [row[k]!, Number(row[a]).toFixed(2)])
    .sort((x, y) => Number(y[1]) - Number(x[1]));
  const file = `${AMOUNT},${KEY}\n${leaked.map(([id, amount]) => `${amount},${id}`).join('\n')}\n`;
  const dir = mkdtempSync(join(tmpdir(), 'huitong-leak-'));
  const leakPath = join(dir, '泄露文件.csv');
  writeFileSync(leakPath, file);
  steps.push(`a file of ${leaked.length} rows (${AMOUNT}, ${KEY}) turned up: ${leakPath}`);

  const officer = await login(ctx, 'sjj.security');
  const body = new RawBody(Buffer.from(file), 'text/csv');
  const report = await ctx.client.call<{ suspects: Suspect[] }>(
    officer,
    'POST',
    '/api/v1/tracing/trace',
    body,
  );
  const [first] = report.suspects;
  const accused = report.suspects.filter((s) => s.accused);
  steps.push(
    ...report.suspects.map(
      (s, i) =>
        `#${i + 1} ${s.name ?? s.recipient} (${s.kind}, ${s.organization.name ?? ''}): ${s.accused ? 'accused' : 'below the threshold'}, P(innocent scores as high) ≤ ${s.innocentProbability.toExponential(1)}`,
    ),
  );

  const html = await ctx.client.call<string>(officer, 'POST', '/api/v1/tracing/evidence?format=html', body);
  const reportPath = join(dir, '证据报告.html');
  writeFileSync(reportPath, html);
  const verified = verifyProofs(html);
  steps.push(
    `evidence report: ${reportPath}; ${verified.good} of ${verified.total} inclusion proofs verified`,
  );
  const ok =
    first?.recipient === `app:${system.id}` &&
    accused.length === 1 &&
    verified.total > 0 &&
    verified.good === verified.total;
  return {
    name: 'leak-trace',
    title: '泄露溯源',
    ok,
    steps,
    evidence: { leakPath, reportPath, suspects: report.suspects, system: system.id, proofs: verified },
  };
}

/** Recomputes every proof of the evidence report against the checkpoint's root it states. */
function verifyProofs(html: string): { total: number; good: number } {
  const root = /根哈希 <code>([0-9a-f]{64})<\/code>/.exec(html)?.[1];
  const size = Number(/树大小 (\d+)/.exec(html)?.[1]);
  const proofs = [
    ...html.matchAll(
      /<tr><td>#(\d+)<\/td><td>[^<]+<\/td><td>([0-9a-f]{64})<\/td><td>([0-9a-f ]*)<\/td><\/tr>/g,
    ),
  ];
  const good = proofs.filter(([, index, leaf, path]) =>
    rootFromInclusionProof(
      Number(index),
      size,
      Buffer.from(leaf!, 'hex'),
      path!
        .split(' ')
        .filter(Boolean)
        .map((h) => Buffer.from(h, 'hex')),
    )?.equals(Buffer.from(root ?? '', 'hex')),
  ).length;
  return { total: proofs.length, good };
}
