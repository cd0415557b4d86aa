import { NEAR_ZERO_KWH } from '../power.js';
import { LAST_SIX_MONTHS } from '../reference-analysis.js';
import { codeOf, login, query, type ScenarioContext, type ScenarioOutcome } from './context.js';

/** The analysis as the market regulator writes it: active registrations joined with power use. */
export const SHELL_SQL = `
SELECT r.credit_code, r.name, r.industry_name, r.registration_date,
       count(*) AS months_read, max(p.kwh) AS max_kwh
FROM reg r JOIN power p ON p.credit_code = r.credit_code
WHERE r.status = '存续' AND p.month >= '${LAST_SIX_MONTHS[0]}' AND p.month <= '${LAST_SIX_MONTHS[5]}'
GROUP BY r.credit_code, r.name, r.industry_name, r.registration_date
HAVING count(*) = 6 AND max(p.kwh) < ${NEAR_ZERO_KWH}
ORDER BY r.credit_code`;

/**
 * 综合分析风险因素: the market regulator joins its own register with the power company's
 * readings (granted to it) and finds enterprises registered as active whose use has been near
 * zero for six months — shell-company risk. Expected: exactly the planted shells.
 */
export async function shellCompanies(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const steps: string[] = [];
  const auth = await login(ctx, 'scjg.analyst');
  steps.push('scjg.analyst (福建省市场监督管理局) logged in');
  const reg = await codeOf(ctx, auth, '市场主体登记信息');
  const power = await codeOf(ctx, auth, '企业月度用电信息');
  steps.push(
    `joined ${reg} (市场主体登记信息, own) with ${power} (企业月度用电信息, granted by 国网福建电力)`,
  );
  const answer = await query(ctx, auth, SHELL_SQL, { reg, power });
  const found = answer.rows.map((r) => String(r.credit_code)).sort();
  steps.push(
    `POST /api/v1/query found ${found.length} active enterprises under ${NEAR_ZERO_KWH} kWh for each of the last six months`,
  );
  for (const r of answer.rows.slice(0, 10))
    steps.push(`  ${r.credit_code} ${r.name} (${r.industry_name}), max ${r.max_kwh} kWh`);
  const expected = ctx.planted.shellCompanies;
  const ok = found.length === expected.length && found.every((c, i) => c === expected[i]);
  steps.push(
    ok
      ? `all ${expected.length} planted shell companies found, and nothing else`
      : `expected ${expected.length} planted shells`,
  );
  return { name: 'shell-companies', title: '综合分析风险因素', ok, steps, evidence: { found, expected } };
}
