import type { ApplicationView } from '../../identity/index.js';
import { APPLICATIONS } from '../load-sharing.js';
import { route } from '../pending-routes.js';
import { codeOf, login, type ScenarioContext, type ScenarioOutcome } from './context.js';

/**
 * 数据多跑路: the Fuzhou enrolment system checks a parent's residence (公安) and social
 * insurance (人社) with the verification API, using its own API key, instead of asking for
 * certificates. Expected: true for the truth, false for a wrong claim, and nothing but a yes/no.
 */
export async function verifyCitizen(ctx: ScenarioContext): Promise<ScenarioOutcome> {
  const steps: string[] = [];
  const admin = await login(ctx, 'fzjy.admin');
  const app = (await ctx.client.all<ApplicationView>(admin, '/api/v1/applications')).find(
    (a) => a.name === APPLICATIONS.fzjy!.name,
  );
  if (!app) throw new Error('the enrolment application is missing: is the demo loaded?');
  const key = await ctx.client.call<{ key: string; apiKey: { id: string } }>(
    admin,
    'POST',
    `/api/v1/applications/${app.id}/keys`,
    {
      name: `scenario ${new Date().toISOString()}`,
      roles: ['analyst'],
    },
  );
  steps.push(
    `fzjy.admin minted a key for ${app.name}; the system calls with Authorization: Bearer ${key.key.slice(0, 15)}…`,
  );
  const system = { bearer: key.key };
  // An application holds few live keys (HUITONG_MAX_KEYS_PER_APPLICATION): each run gives its own back.
  try {
    return await verifyWith(ctx, system, steps);
  } finally {
    await ctx.client.call(admin, 'POST', `/api/v1/applications/${app.id}/keys/${key.apiKey.id}/revoke`);
  }
}

async function verifyWith(
  ctx: ScenarioContext,
  system: { bearer: string },
  steps: string[],
): Promise<ScenarioOutcome> {
  const residence = await codeOf(ctx, system, '居民户籍信息核验');
  const insurance = await codeOf(ctx, system, '社保参保状态核验');
  const citizen = ctx.planted.insuredCitizen;
  const other = ctx.planted.uninsuredCitizen;
  const verify = async (code: string, values: Record<string, string>) => {
    const [method, path] = route('verify', { code });
    return ctx.client.call<Record<string, unknown>>(system, method, path, { values });
  };
  const claims: Array<[string, string, Record<string, string>, boolean]> = [
    [
      '户籍 as stated',
      residence,
      { 公民身份号码: citizen.idNumber, 姓名: citizen.name, 行政区划代码: citizen.regionCode },
      true,
    ],
    [
      '户籍 with a wrong name',
      residence,
      { 公民身份号码: citizen.idNumber, 姓名: `${citizen.name}伟`, 行政区划代码: citizen.regionCode },
      false,
    ],
    [
      '户籍 in another district',
      residence,
      {
        公民身份号码: citizen.idNumber,
        姓名: citizen.name,
        行政区划代码: '350102' === citizen.regionCode ? '350103' : '350102',
      },
      false,
    ],
    ['参保缴费', insurance, { 公民身份号码: citizen.idNumber, 参保状态: '参保缴费' }, true],
    [
      '参保缴费 of an uninsured citizen',
      insurance,
      { 公民身份号码: other.idNumber, 参保状态: '参保缴费' },
      false,
    ],
  ];
  let ok = true;
  const answers: unknown[] = [];
  for (const [label, code, values, expected] of claims) {
    const answer = await verify(code, values);
    answers.push(answer);
    const onlyYesNo = Object.keys(answer).length === 1 && typeof answer.match === 'boolean';
    const right = answer.match === expected && onlyYesNo;
    ok &&= right;
    steps.push(
      `POST /api/v1/resources/${code}/verify (${label}) → ${JSON.stringify(answer)}${right ? '' : `  ✗ expected {"match":${expected}}`}`,
    );
  }
  steps.push(
    ok
      ? 'the family was admitted without a single certificate; no personal data reached the school system'
      : 'an answer was not the expected yes/no',
  );
  return { name: 'verify-citizen', title: '数据多跑路', ok, steps, evidence: { answers } };
}
