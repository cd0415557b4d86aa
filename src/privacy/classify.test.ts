import { describe, expect, it } from 'vitest';
import { passesLuhn, residentIdCheckChar } from './check-digits.js';
import { classifyColumn, classifyColumns } from './classify.js';

const today = new Date('2025-06-01T00:00:00Z');
const id = (first17: string) => first17 + residentIdCheckChar(first17);
const ids = Array.from({ length: 30 }, (_, i) =>
  id(`3501021985${String((i % 12) + 1).padStart(2, '0')}15${100 + i}`),
);

describe('classifyColumns', () => {
  it('recognises columns by Chinese, English and pinyin names', () => {
    const names = {
      身份证号: 'id-number',
      sfzh: 'id-number',
      id_card: 'id-number',
      idNo: 'id-number',
      手机号: 'mobile',
      sjhm: 'mobile',
      mobile: 'mobile',
      姓名: 'name',
      xm: 'name',
      dz: 'address',
      银行卡号: 'bank-card',
      csrq: 'birth-date',
      birthday: 'birth-date',
      email: 'email',
      车牌号: 'plate',
      性别: 'gender',
    };
    for (const [name, kind] of Object.entries(names))
      expect([name, classifyColumn({ name, values: [] }, { today }).kind]).toEqual([name, kind]);
  });

  it('recognises columns by their values whatever their names', () => {
    const c = classifyColumn({ name: 'col_7', values: ids }, { today });
    expect(c).toMatchObject({ kind: 'id-number', sensitive: true, grade: { grade: 'general', level: 4 } });
    const phones = classifyColumn(
      { name: 'c2', values: ['13812345678', '13987654321', null, ''] },
      { today },
    );
    expect(phones).toMatchObject({ kind: 'mobile', sensitive: false, grade: { grade: 'general', level: 3 } });
    const names = classifyColumn({ name: 'c3', values: ['张三', '欧阳娜娜', '李四', '王芳'] }, { today });
    expect(names.kind).toBe('name');
  });

  it('reads a Gansu ID number with a wrong check digit that passes Luhn as a mistyped ID, not a bank card', () => {
    // 62… is both Gansu's region code and UnionPay's prefix; one string in ten passes Luhn.
    const mistyped: string[] = [];
    for (let seq = 100; mistyped.length < 30; seq++)
      for (const d of '0123456789') {
        const v = `62010219900307${seq}${d}`;
        if (residentIdCheckChar(v) !== d && passesLuhn(v)) {
          mistyped.push(v);
          break;
        }
      }
    for (const name of ['c9', '证件号码'])
      expect(classifyColumn({ name, values: mistyped }, { today })).toMatchObject({
        kind: 'id-number',
        sensitive: true,
      });
    // UnionPay cards whose digits 7–14 are no birth date stay cards.
    const cards = Array.from({ length: 30 }, (_, i) => {
      const body = `62220210011156${100 + i}`;
      return body + [...'0123456789'].find((d) => passesLuhn(body + d));
    });
    expect(classifyColumn({ name: 'c9', values: cards }, { today }).kind).toBe('bank-card');
  });

  it('discounts a name that the values contradict', () => {
    const orders = Array.from({ length: 50 }, (_, i) => `DD${1000 + i}`);
    const c = classifyColumn({ name: 'phone', values: orders }, { today });
    expect(c.confidence).toBeLessThan(0.5);
  });

  it('flags identifiers embedded in free text and children by birth date', () => {
    const notes = classifyColumn(
      { name: '备注', values: ['请联系13812345678', '无', '已办结', '身份证11010519491231002X已核验'] },
      { today },
    );
    expect(notes.embedded).toEqual(expect.arrayContaining(['mobile', 'id-number']));
    expect(notes.grade).toEqual({ grade: 'general', level: 4 });
    const kids = classifyColumn({ name: 'csrq', values: ['2018-03-01', '2015-07-09'] }, { today });
    expect(kids).toMatchObject({ kind: 'birth-date', children: true, sensitive: true });
  });

  it('grades a table by its highest column, important for sensitive data of a large population', () => {
    const columns = [
      { name: '单位名称', values: ['福州市财政局'] },
      { name: '统一社会信用代码', values: ['91350100M000100Y43'] },
      { name: '身份证号', values: ids },
    ];
    expect(classifyColumns(columns, { today }).grade).toEqual({ grade: 'general', level: 4 });
    expect(classifyColumns(columns, { today, population: 2_000_000 }).grade).toEqual({ grade: 'important' });
    expect(classifyColumns(columns.slice(0, 2), { today })).toMatchObject({
      grade: { grade: 'general', level: 1 },
      personal: false,
    });
  });

  it('handles empty tables, empty columns and huge or binary cells', () => {
    expect(classifyColumns([])).toEqual({
      columns: [],
      grade: { grade: 'general', level: 1 },
      personal: false,
      sensitive: false,
    });
    const huge = `${'汉'.repeat(5_000_000)}13812345678`;
    const garbage = new Uint8Array([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]);
    const c = classifyColumn(
      { name: 'blob', values: [huge, garbage, { a: 1 }, 42n, new Date(Number.NaN)] },
      { today },
    );
    expect(c.kind).toBeNull();
  });
});
