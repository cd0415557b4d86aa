import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from './check-digits.js';
import { detectPii } from './detect.js';
import { HIT_CONFIDENCE, type PiiKind } from './kinds.js';

const today = new Date('2025-06-01T00:00:00Z');
const hits = (text: string) =>
  detectPii(text, { today, minConfidence: HIT_CONFIDENCE }).map(
    (f) => [f.kind, f.value] as [PiiKind, string],
  );
const all = (text: string) => detectPii(text, { today });

describe('detectPii', () => {
  it('finds resident ID numbers with a valid check character, region and birth date', () => {
    expect(hits('身份证号：11010519491231002X。')).toEqual([['id-number', '11010519491231002X']]);
    const id = `35010219900512123${residentIdCheckChar('35010219900512123')}`;
    expect(hits(`证件 ${id} 已核验`)).toEqual([['id-number', id]]);
  });

  it('reports a check-digit failure with low confidence, not as a hit', () => {
    const found = all('身份证 110105194912310021 号');
    expect(found).toHaveLength(1);
    expect(found[0]!.kind).toBe('id-number');
    expect(found[0]!.confidence).toBeLessThanOrEqual(0.3);
  });

  it('rejects ID numbers with an impossible region, birth date or future birth', () => {
    for (const first17 of ['99010519491231002', '11010519491331002', '11010520300101002']) {
      const v = first17 + residentIdCheckChar(first17);
      expect(hits(`号码${v}`).filter(([k]) => k === 'id-number')).toEqual([]);
    }
  });

  it('does not find an 18-digit ID inside a longer digit run', () => {
    expect(hits('流水号911010519491231002X')).toEqual([]);
    expect(hits('单号1101051949123100231')).toEqual([]);
  });

  it('finds credit codes, including all-digit ones, and flags failing pilot codes low', () => {
    expect(hits('代码91350100M000100Y43')).toEqual([['credit-code', '91350100M000100Y43']]);
    expect(all('代码91350100M000100Y44')[0]?.confidence).toBeLessThan(HIT_CONFIDENCE);
  });

  it('finds mobiles in plain, grouped and +86 forms, and landlines', () => {
    expect(hits('电话13812345678')).toEqual([['mobile', '13812345678']]);
    expect(hits('电话 138 1234 5678 或 +86-139-1234-5678 或 8615912345678')).toEqual([
      ['mobile', '138 1234 5678'],
      ['mobile', '+86-139-1234-5678'],
      ['mobile', '8615912345678'],
    ]);
    expect(hits('座机0591-87654321，北京010-62345678')).toEqual([
      ['landline', '0591-87654321'],
      ['landline', '010-62345678'],
    ]);
    expect(hits('12812345678 不是手机')).toEqual([]);
  });

  it('finds bank cards by Luhn, with UnionPay 62 more confident, never also as a mobile', () => {
    const found = all('卡号6222021234567890128，另一张4111111111111111');
    expect(found.map((f) => f.kind)).toEqual(['bank-card', 'bank-card']);
    expect(found[0]!.confidence).toBeGreaterThan(found[1]!.confidence);
    expect(hits('卡号 6222 0212 3456 7890 128')).toEqual([['bank-card', '6222 0212 3456 7890 128']]);
    expect(all('卡号6222021234567890127')[0]!.confidence).toBeLessThan(HIT_CONFIDENCE);
  });

  it('finds e-mail, passports, plates and IP addresses', () => {
    expect(hits('邮箱 zhang.san+hr@gov.example.cn，护照E12345678')).toEqual([
      ['email', 'zhang.san+hr@gov.example.cn'],
      ['passport', 'E12345678'],
    ]);
    expect(hits('车牌京A12345、沪AD12345、粤B12345D、闽A·8K8K8')).toEqual([
      ['plate', '京A12345'],
      ['plate', '沪AD12345'],
      ['plate', '粤B12345D'],
      ['plate', '闽A·8K8K8'],
    ]);
    expect(hits('from 10.0.0.255 to fe80::1 and 2001:db8:0:0:1:0:0:1; not 256.1.1.1 or 12:30:45')).toEqual([
      ['ipv4', '10.0.0.255'],
      ['ipv6', 'fe80::1'],
      ['ipv6', '2001:db8:0:0:1:0:0:1'],
    ]);
  });

  it('finds names after context words and before titles', () => {
    expect(hits('姓名：欧阳娜娜，联系人张三电话13812345678')).toEqual([
      ['name', '欧阳娜娜'],
      ['name', '张三'],
      ['mobile', '13812345678'],
    ]);
    expect(hits('感谢王芳女士和李先生')).toEqual([
      ['name', '王芳'],
      ['name', '李'],
    ]);
    expect(hits('我和老师一起去了市场')).toEqual([]);
  });

  it('finds addresses from province, city, district, road and number', () => {
    expect(hits('家住福建省福州市鼓楼区五四路123号5栋302室，欢迎')).toEqual([
      ['address', '福建省福州市鼓楼区五四路123号5栋302室'],
    ]);
    expect(hits('寄往北京市海淀区中关村大街27号')).toEqual([['address', '北京市海淀区中关村大街27号']]);
    expect(hits('全市各区县要加强道路建设，市场监管部门要履职')).toEqual([]);
  });

  it('finds birth dates with context confidently, other dates only as look-alikes', () => {
    expect(hits('出生日期：1990年5月12日')).toEqual([['birth-date', '1990年5月12日']]);
    expect(hits('会议于2024-03-05召开')).toEqual([]);
    expect(all('会议于2024-03-05召开')[0]?.kind).toBe('birth-date');
  });

  it('ignores numbers that are parts of decimals', () => {
    expect(all('圆周率3.14159265358979323846和13812345678.5元')).toEqual([]);
  });
});
