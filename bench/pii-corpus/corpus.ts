import type { PiiKind } from '../../src/privacy/index.js';
import { CLEAN_SENTENCES } from './clean-text.js';
import * as id from './identifiers.js';
import { address, personName } from './people.js';
import type { Rng } from './rng.js';

/** A planted identifier: its kind and span in the document. */
export interface Label {
  kind: PiiKind;
  start: number;
  end: number;
}

/** A labelled document: the text and every identifier planted in it (look-alikes are unlabelled). */
export interface Doc {
  text: string;
  labels: Label[];
  lookalikes: number;
}

type Piece = [string, PiiKind | null, string];

// Each template: text before, the identifier and its kind (null: a look-alike), text after.
function positive(rng: Rng): Piece {
  const name = personName(rng);
  const [ipValue, ipKind] = id.ip(rng);
  const choices: Piece[] = [
    [rng.pick(['身份证号：', '公民身份号码', '证件号码 ']), 'id-number', id.idNumber(rng)],
    [rng.pick(['统一社会信用代码为', '信用代码：']), 'credit-code', id.creditCode(rng)],
    [rng.pick(['手机', '联系电话：', '电话 ']), 'mobile', id.mobile(rng)],
    ['办公电话', 'landline', id.landline(rng)],
    [rng.pick(['银行卡号', '开户账号 ', '收款卡号：']), 'bank-card', id.bankCard(rng)],
    ['邮箱：', 'email', id.email(rng)],
    ['护照号码', 'passport', id.passport(rng)],
    ['车牌号', 'plate', id.plate(rng)],
    ['来源地址 ', ipKind, ipValue],
    [rng.pick(['姓名：', '联系人', '申请人：', '负责人']), 'name', name],
    [rng.pick(['住址：', '家住', '寄往', '现居住于']), 'address', address(rng)],
    [rng.pick(['出生日期：', '生于', '出生于']), 'birth-date', id.writtenDate(rng)],
  ];
  return rng.pick(choices);
}

function titled(rng: Rng): [string, string, string] {
  return [rng.pick(['感谢', '。', '，', '据']), personName(rng), rng.pick(['女士', '先生', '同志'])];
}

function lookalike(rng: Rng): Piece {
  const choices: Piece[] = [
    ['证件号码', null, id.idNumber(rng, false)],
    ['银行卡号', null, id.bankCard(rng, false)],
    ['信用代码', null, id.creditCode(rng, false)],
    ['流水号', null, rng.digits(18)],
    ['订单号', null, `2024${rng.digits(16)}`],
    ['号码', null, `12${rng.digits(9)}`],
    ['会议于', null, id.writtenDate(rng)],
    ['金额', null, `${rng.int(1, 99999)}.${rng.digits(2)}`],
  ];
  return rng.pick(choices);
}

/** A document of `pieces` sentences: about a third carry an identifier, some a look-alike. */
export function generateDoc(rng: Rng, pieces = 30): Doc {
  let text = '';
  const labels: Label[] = [];
  let lookalikes = 0;
  for (let p = 0; p < pieces; p++) {
    const r = rng.next();
    if (r < 0.3) {
      const [before, kind, value] = positive(rng);
      text += before;
      labels.push({ kind: kind!, start: text.length, end: text.length + value.length });
      text += value + rng.pick(['，', '。', '；', ' ', '，请核实。']);
    } else if (r < 0.36) {
      const [before, name, title] = titled(rng);
      text += before;
      labels.push({ kind: 'name', start: text.length, end: text.length + name.length });
      text += `${name}${title}${rng.pick(['表示', '的来信已收到。', '。'])}`;
    } else if (r < 0.5) {
      const [before, , value] = lookalike(rng);
      text += `${before}${value}${rng.pick(['，', '。'])}`;
      lookalikes++;
    } else {
      text += rng.pick(CLEAN_SENTENCES);
    }
  }
  return { text, labels, lookalikes };
}

/** A generated table: column name, true kind (null: not personal), values. */
export interface TableColumn {
  name: string;
  truth: PiiKind | null;
  values: string[];
}

/** A table with one column per kind under a realistic (Chinese, English or pinyin) or a meaningless name. */
export function generateTable(rng: Rng, rows: number, meaningfulNames: boolean): TableColumn[] {
  const col = (names: string[], truth: PiiKind | null, make: () => string): TableColumn => ({
    name: meaningfulNames ? rng.pick(names) : `c${rng.int(1, 99)}`,
    truth,
    values: Array.from({ length: rows }, make),
  });
  return [
    col(['姓名', 'xm', 'name'], 'name', () => personName(rng)),
    col(['身份证号', 'sfzh', 'id_card'], 'id-number', () => id.idNumber(rng)),
    col(['证件号码', 'zjhm', 'id_no'], 'id-number', () => id.mistypedGansuId(rng)),
    col(['手机号', 'sjhm', 'mobile'], 'mobile', () => id.mobile(rng).replace(/[ -]/g, '').replace('+86', '')),
    col(['地址', 'dz', 'address'], 'address', () => address(rng)),
    col(['银行卡号', 'yhkh', 'card_no'], 'bank-card', () => id.bankCard(rng)),
    col(['出生日期', 'csrq', 'birthday'], 'birth-date', () => id.writtenDate(rng)),
    col(['邮箱', 'email'], 'email', () => id.email(rng)),
    col(['车牌号', 'hphm'], 'plate', () => id.plate(rng)),
    col(['统一社会信用代码', 'tyshxydm'], 'credit-code', () => id.creditCode(rng)),
    col(['备注', 'remark'], null, () => rng.pick(CLEAN_SENTENCES)),
    col(['金额', 'amount'], null, () => `${rng.int(1, 99999)}.${rng.digits(2)}`),
  ];
}
