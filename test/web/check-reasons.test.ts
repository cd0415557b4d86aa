import { describe, expect, it } from 'vitest';
import type { CheckReason } from '../../src/query/sandbox-release/reasons.js';
import { reasonTexts, type Translate } from '../../web/src/components/check-reasons.js';
import { release } from '../../web/src/i18n/release.js';
import { types } from '../../web/src/i18n/types.js';

// The check report's explanations (可用不可见) in the console's language, from the reasons' codes
// and figures; the server's English only for a code the console does not know.

const dictionary = { zh: { ...release.zh, ...types.zh }, en: { ...release.en, ...types.en } };
const translator =
  (lang: 'zh' | 'en'): Translate =>
  (key, vars) =>
    (dictionary[lang] as Record<string, string>)[key]!.replace(/\{(\w+)\}/g, (_, name: string) =>
      String(vars?.[name] ?? `{${name}}`),
    );

const buildCheck = (reasons: CheckReason[], detail = 'the English detail') => ({
  name: 'checkable_shape',
  passed: false,
  detail,
  reasons,
});

describe('the reasons of an output check, in the console', () => {
  it('says the server’s reasons in Chinese, figures and names filled in', () => {
    const zh = translator('zh');
    expect(
      reasonTexts(
        buildCheck([
          { code: 'unchecked_shape', params: { construct: 'join' }, detail: 'join' },
          { code: 'unchecked_shape', params: { construct: 'too_many_keys', max: 6 }, detail: '…' },
          { code: 'unsafe_aggregate', params: { function: 'max' }, detail: '…' },
          { code: 'identifying_in_condition', detail: '…' },
        ]),
        zh,
      ),
    ).toEqual([
      '含有输出检查无法担保的结构：表关联（JOIN）',
      '含有输出检查无法担保的结构：GROUP BY 分组键超过 6 个',
      'max() 的结果可能就是某一行的取值',
      'WHERE 条件涉及标识类个人信息项，按其筛选即可锁定个人',
    ]);
    const suppressed = buildCheck([
      { code: 'small_groups_suppressed', params: { k: 10, primary: 4, secondary: 1 }, detail: '…' },
      { code: 'low_effect_condition', params: { k: 10, conditions: [1, 3] }, detail: '…' },
      { code: 'identifier_values', params: { kinds: ['id-number', 'mobile'] }, detail: '…' },
    ]);
    expect(reasonTexts(suppressed, zh)).toEqual([
      '不足 10 条源记录的行已抑制 4 行；为防与更粗的分组相减推出不足 10 条记录的结果，另连带抑制 1 行',
      '第 1、3 个 WHERE 条件只改变某一分组中的 1 至 9 行：与不含该条件的查询相减即可推出这几行',
      '结果值中疑似含有标识：身份证号码、手机号码',
    ]);
    expect(reasonTexts(suppressed, translator('en'))[2]).toBe(
      'Values look like identifiers: ID number, Mobile number',
    );
  });

  it('shows the English detail only for a code it does not know, or a report without reasons', () => {
    const newer = { code: 'newer_reason', detail: 'a reason of a newer server' } as unknown as CheckReason;
    const known: CheckReason = { code: 'aggregates_only', detail: '…' };
    expect(reasonTexts(buildCheck([newer, known]), translator('zh'))).toEqual([
      'a reason of a newer server',
      '每个输出行都是汇总结果（GROUP BY 或汇总函数）',
    ]);
    expect(reasonTexts(buildCheck([], 'stored before reasons'), translator('zh'))).toEqual([
      'stored before reasons',
    ]);
  });
});
