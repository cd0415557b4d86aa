import { describe, expect, it } from 'vitest';
import { DEFAULT_MASKS, defaultMaskForKind } from '../privacy/index.js';
import { ipAllowed } from './ip-allow.js';
import { checkRowFilter, RowFilterSchema } from './item-filter.js';
import { defaultMask, isClear } from './masks.js';

describe('row filters over item names', () => {
  it('accepts the five operators and refuses anything else', () => {
    const ok = RowFilterSchema.safeParse([
      { item: '区划', op: 'eq', value: '350100' },
      { item: '区划', op: 'in', values: ['350100'] },
      { item: '年龄', op: 'range', min: 18, max: 60 },
      { item: '姓名', op: 'like', pattern: '张%' },
      { item: '死亡日期', op: 'is_null' },
    ]);
    expect(ok.success).toBe(true);
    for (const bad of [
      [{ item: '区划', op: 'sql', value: '1=1' }],
      [{ item: '区划', op: 'eq', value: 1, where: 'true' }],
      [{ column: 'qh', op: 'eq', value: 1 }],
      [{ item: '', op: 'eq', value: 1 }],
      [{ item: '区划', op: 'in', values: [] }],
    ]) {
      expect(RowFilterSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('names unknown items', () => {
    expect(() => checkRowFilter([{ item: '无此项', op: 'eq', value: 1 }], ['区划'])).toThrow(
      expect.objectContaining({ code: 'unknown_item', details: { field: 'rowFilter', items: ['无此项'] } }),
    );
    expect(() =>
      checkRowFilter(
        [
          { item: '甲', op: 'eq', value: 1 },
          { item: '区划', op: 'eq', value: 1 },
          { item: '乙', op: 'is_null', value: true },
        ],
        ['区划'],
      ),
    ).toThrow(expect.objectContaining({ message: 'The resource has no item 甲, 乙' }));
  });
});

describe('address allow-lists', () => {
  it('matches IPv4, IPv6 and mapped IPv4; an empty list allows all', () => {
    expect(ipAllowed([], '8.8.8.8')).toBe(true);
    expect(ipAllowed(['192.168.0.0/16'], '192.168.3.4')).toBe(true);
    expect(ipAllowed(['192.168.0.0/16'], '::ffff:192.168.3.4')).toBe(true);
    expect(ipAllowed(['192.168.0.0/16'], '192.169.0.1')).toBe(false);
    expect(ipAllowed(['203.0.113.7'], '203.0.113.7')).toBe(true);
    expect(ipAllowed(['2001:db8::/32'], '2001:db8:1::5')).toBe(true);
    expect(ipAllowed(['2001:db8::/32'], 'not an ip')).toBe(false);
  });
});

describe('default masks', () => {
  const item = (name: string, field: string | null, personalKind: string | null) => ({
    name,
    field,
    personal: personalKind !== null,
    personalKind: personalKind as never,
  });
  it('follow the conventions by kind and name, redact other personal items, leave the rest', () => {
    expect(defaultMask(item('证件号码', null, 'identity_document'))).toEqual({ kind: 'id-number' });
    expect(defaultMask(item('护照号码', 'hzhm', 'identity_document'))).toEqual({ kind: 'redact' });
    expect(defaultMask(item('账号', null, 'bank_account'))).toEqual({ kind: 'bank-card' });
    expect(defaultMask(item('联系电话', 'lxdh', 'communication'))).toEqual({ kind: 'mobile' });
    expect(defaultMask(item('申请人姓名', 'sqrxm', 'basic'))).toEqual({ kind: 'name' });
    expect(defaultMask(item('户主', 'head_name', 'basic'))).toEqual({ kind: 'name' });
    expect(defaultMask(item('区划', 'qh', null))).toEqual({ kind: 'none' });
  });

  it('hide categories, band ages and birth dates, stop addresses at the district', () => {
    expect(defaultMask(item('病历', 'bl', 'health'))).toEqual({ kind: 'suppress' });
    expect(defaultMask(item('性别', 'sex', 'basic'))).toEqual({ kind: 'suppress' });
    expect(defaultMask(item('民族', 'ethnicity', 'basic'))).toEqual({ kind: 'suppress' });
    expect(defaultMask(item('婚姻状况', 'marital_status', 'basic'))).toEqual({ kind: 'suppress' });
    expect(defaultMask(item('宗教信仰', null, 'basic'))).toEqual({ kind: 'suppress' });
    expect(defaultMask(item('年龄', 'age', 'basic'))).toEqual({ kind: 'age-band', width: 10, top: 90 });
    expect(defaultMask(item('出生日期', 'birth_date', 'basic'))).toEqual({ kind: 'year', width: 10 });
    expect(defaultMask(item('住址', 'address', 'location'))).toEqual({ kind: 'address' });
    expect(defaultMask(item('文化程度', 'education', 'basic'))).toEqual({ kind: 'redact' });
    expect(defaultMask(item('缴费基数(元/月)', 'contribution_base', 'property'))).toEqual({ kind: 'redact' });
  });

  it('fall back on the catalog category when the names say nothing, and on redact after that', () => {
    expect(defaultMask(item('资料甲', 'zl1', 'biometric'))).toEqual(defaultMaskForKind('biometric'));
    expect(defaultMask(item('资料乙', 'zl2', 'location'))).toEqual(defaultMaskForKind('location'));
    expect(defaultMask(item('资料丙', 'zl3', 'health'))).toEqual(defaultMaskForKind('health'));
    for (const kind of ['property', 'credit', 'transaction'])
      expect(defaultMask(item('资料丁', 'zl4', kind)), kind).toEqual(defaultMaskForKind('financial'));
    expect(defaultMask(item('资料戊', 'zl5', 'basic'))).toEqual({ kind: 'redact' });
    expect(defaultMask(item('资料己', 'zl6', 'identity_document'))).toEqual(DEFAULT_MASKS['id-number']);
    expect(defaultMask(item('资料庚', 'zl7', 'bank_account'))).toEqual(DEFAULT_MASKS['bank-card']);
    // A document number named as a mobile keeps the document convention; only a passport differs.
    expect(defaultMask(item('号码', 'sjhm', 'identity_document'))).toEqual(DEFAULT_MASKS['id-number']);
    expect(defaultMask(item('号码', 'passport_no', 'identity_document'))).toEqual(
      defaultMaskForKind('passport'),
    );
    // The Chinese name decides when the field says nothing or there is none.
    expect(defaultMask(item('户主姓名', null, 'basic'))).toEqual({ kind: 'name' });
    expect(defaultMask(item('申请人姓名 ', 'x9', 'basic'))).toEqual({ kind: 'name' });
    expect(defaultMask(item('卡号', 'sjhm', 'bank_account'))).toEqual(DEFAULT_MASKS['bank-card']);
    expect(defaultMask(item('手机号码', 'zl8', 'basic'))).toEqual({ kind: 'mobile' });
    expect(
      defaultMask({ name: '姓名', field: 'xm', personal: false, personalKind: 'basic' as never }),
    ).toEqual({
      kind: 'none',
    });
    expect(isClear({ kind: 'none' })).toBe(true);
    expect(isClear({ kind: 'redact' })).toBe(false);
  });

  it('give the name mask to names only', () => {
    // 户主 and 联系人 are name words, but these items are a relation and a telephone number.
    expect(defaultMask(item('与户主关系', 'relation', 'basic'))).toEqual({ kind: 'redact' });
    expect(defaultMask(item('联系人电话', null, 'communication'))).toEqual({ kind: 'redact' });
    expect(defaultMask(item('负责人手机', null, 'communication'))).toEqual({ kind: 'redact' });
  });
});
