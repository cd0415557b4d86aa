import { contributionBand } from '../social-insurance.js';
import { HIGH_BASE } from '../subsistence.js';
import { codeOf, login, MASKED_ID, query, type ScenarioContext, type ScenarioOutcome } from './context.js';

// Six leading and four trailing characters identify an ID number in clear or masked alike, so
// the civil-affairs records (clear, its own) join the granted, masked ones.
const KEY = (column: string) => `substr(${column}, 1, 6) || substr(${column}, 15, 4)`;

/** The cross-check as the civil-affairs analyst writes it. */
export const SUBSISTENCE_SQL = `
SELECT m.certificate_no, e.legal_rep_id_number AS id_number, m.relation,
       'owns_enterprise' AS finding, e.name AS detail
FROM members m JOIN reg e ON ${KEY('e.legal_rep_id_number')} = ${KEY('m.id_number')}
WHERE e.status = '存续'
UNION ALL
SELECT m.certificate_no, s.id_number, m.relation,
       'high_contribution' AS finding, s.employer_name || ' 缴费基数 ' || s.contribution_band AS detail
FROM members m JOIN ins s ON ${KEY('s.id_number')} = ${KEY('m.id_number')}
WHERE s.contribution_band = '${contributionBand(HIGH_BASE)}'
ORDER BY certificate_no`;

/**
 * 精准扶贫/民生: civil affairs cross-checks its 低保 households against enterprise ownership
 * (market registration) and social insurance, seeing personal items only masked. Expected: the
 * planted households, and every ID number in the answer masked.
 */
export async function subsistenceCheck(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const steps: string[] = [];
  const auth = await login(ctx, 'mzt.analyst');
  steps.push('mzt.analyst (福建省民政厅) logged in');
  const aliases = {
    members: await codeOf(ctx, auth, '最低生活保障家庭成员信息'),
    reg: await codeOf(ctx, auth, '市场主体登记信息'),
    ins: await codeOf(ctx, auth, '社会保险参保信息'),
  };
  steps.push(
    `cross-checked 低保 members (${aliases.members}) with 市场主体登记 (${aliases.reg}) and 社保参保 (${aliases.ins})`,
  );
  const answer = await query(ctx, auth, SUBSISTENCE_SQL, aliases);
  const certificates = [...new Set(answer.rows.map((r) => String(r.certificate_no)))].sort();
  for (const r of answer.rows.slice(0, 10))
    steps.push(`  ${r.certificate_no} ${r.id_number} (${r.relation}): ${r.finding} — ${r.detail}`);
  const ids = answer.rows.map((r) => String(r.id_number));
  const masked = ids.every((id) => MASKED_ID.test(id));
  steps.push(
    masked
      ? `all ${ids.length} ID numbers in the answer are masked`
      : 'an ID number left the platform in clear',
  );
  const expected = [...new Set(ctx.planted.welfareAnomalies.map((a) => a.certificate))].sort();
  const found = certificates.length === expected.length && certificates.every((c, i) => c === expected[i]);
  steps.push(
    found
      ? `all ${expected.length} planted households found, and nothing else`
      : `expected ${expected.length} planted households`,
  );
  return {
    name: 'subsistence-check',
    title: '精准扶贫/民生',
    ok: found && masked && ids.length > 0,
    steps,
    evidence: { certificates, expected, ids },
  };
}
