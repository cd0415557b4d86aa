import { isCjk } from './char-table.js';
import { emit, type ScanContext } from './scan-context.js';
import { isCompoundSurname, isSurnameChar } from './surnames.js';

// Words after which a personal name follows (姓名：张三, 联系人李四).
const BEFORE = [
  '姓名',
  '联系人',
  '负责人',
  '法定代表人',
  '法人代表',
  '户主',
  '申请人',
  '收件人',
  '收货人',
  '寄件人',
  '患者',
  '经办人',
  '监护人',
  '持卡人',
  '当事人',
  '被告人',
  '原告',
  '被告',
  '嫌疑人',
  '投保人',
  '被保险人',
  '受益人',
  '借款人',
  '担保人',
  '业主',
  '驾驶人',
  '驾驶员',
  '联络人',
  '报案人',
  '举报人',
  '签收人',
  '开户人',
  '户名',
];
// Titles before which a surname or full name stands (张先生, 王芳女士).
const AFTER = [
  '先生',
  '女士',
  '同志',
  '老师',
  '医生',
  '教授',
  '律师',
  '小姐',
  '同学',
  '师傅',
  '警官',
  '经理',
  '主任',
];
// Characters that end a given name: particles and the starts of the words that usually follow.
const STOP = new Set(
  '的是在电手身性男女先于和与等说了住地联号证出现及或已为向将把被从到对邮微今昨也都就还所',
);
// Surnames that are far more often function words: never reported from a title alone (和老师).
const AMBIGUOUS = new Set('和于国时都来信元平海文万成明向应全也将安华方高白石江金龙常位各该本其此诸那');
const SKIP = new Set('：:是为 \t');

/** First characters of every context word, for the scanner's lookup table. */
export const NAME_CONTEXT_STARTS = [...new Set([...BEFORE, ...AFTER].map((w) => w[0]!))].join('');

const byFirst = new Map<number, string[]>();
for (const w of [...BEFORE, ...AFTER]) {
  const list = byFirst.get(w.charCodeAt(0)) ?? [];
  list.push(w);
  list.sort((a, b) => b.length - a.length);
  byFirst.set(w.charCodeAt(0), list);
}
const afterSet = new Set(AFTER);

/** Length of a plausible Chinese name at `j` (surname + 1–2 given characters), or 0. */
export function nameLengthAt(text: string, j: number): { len: number; known: boolean } {
  let sl = 0;
  if (isCompoundSurname(text.slice(j, j + 2))) sl = 2;
  else if (isSurnameChar(text[j] ?? '')) sl = 1;
  const known = sl > 0;
  if (!known) sl = 1;
  if (!isCjk(text.charCodeAt(j))) return { len: 0, known };
  let g = 0;
  while (g < 2 && isCjk(text.charCodeAt(j + sl + g)) && !STOP.has(text[j + sl + g]!)) g++;
  return { len: g === 0 ? 0 : sl + g, known };
}

function nameAfter(ctx: ScanContext, i: number, word: string): number {
  let j = i + word.length;
  while (j < ctx.text.length && j - i - word.length < 3 && SKIP.has(ctx.text[j]!)) j++;
  const { len, known } = nameLengthAt(ctx.text, j);
  if (len === 0) return -1;
  emit(ctx, 'name', j, j + len, known ? (word === '姓名' ? 0.95 : 0.9) : 0.6);
  return j + len;
}

function candidateAt(text: string, s: number, end: number): boolean {
  if (s < 0 || !isCjk(text.charCodeAt(s))) return false;
  const compound = isCompoundSurname(text.slice(s, s + 2));
  if (!compound && (!isSurnameChar(text[s]!) || AMBIGUOUS.has(text[s]!))) return false;
  for (let k = s + (compound ? 2 : 1); k < end; k++)
    if (!isCjk(text.charCodeAt(k)) || STOP.has(text[k]!)) return false;
  return true;
}

// 王芳女士 / 感谢王子轩先生 / 李先生: a full name after a clause boundary first, then a two-character
// name, then a three-character one inside running text, then the bare surname.
function nameBefore(ctx: ScanContext, i: number): void {
  const { text } = ctx;
  const bounded = (s: number) => s === 0 || !isCjk(text.charCodeAt(s - 1)) || STOP.has(text[s - 1]!);
  let s = -1;
  let confidence = 0.55;
  if (i >= 4 && isCompoundSurname(text.slice(i - 4, i - 2)) && candidateAt(text, i - 4, i))
    [s, confidence] = [i - 4, 0.85];
  else if (candidateAt(text, i - 3, i) && bounded(i - 3)) [s, confidence] = [i - 3, 0.85];
  else if (candidateAt(text, i - 2, i)) [s, confidence] = [i - 2, 0.8];
  else if (candidateAt(text, i - 3, i)) [s, confidence] = [i - 3, 0.7];
  else if (i >= 1 && isSurnameChar(text[i - 1]!) && !AMBIGUOUS.has(text[i - 1]!)) s = i - 1;
  if (s >= 0) emit(ctx, 'name', s, i, confidence);
}

/** Checks for a name context word at `i`; returns where the scan continues (or -1 for no match). */
export function tryNameContext(ctx: ScanContext, i: number): number {
  const words = byFirst.get(ctx.text.charCodeAt(i));
  if (!words) return -1;
  for (const w of words) {
    if (!ctx.text.startsWith(w, i)) continue;
    if (afterSet.has(w)) {
      nameBefore(ctx, i);
      return i + w.length;
    }
    const end = nameAfter(ctx, i, w);
    return end >= 0 ? end : i + w.length;
  }
  return -1;
}

/** Whether a whole value looks like a Chinese personal name (for columns already named 姓名). */
export function looksLikeChineseName(value: string): number {
  const v = value.trim();
  if (v.length < 2 || v.length > 12) return 0;
  if (v.includes('·')) return /^[\u4e00-\u9fff]{1,6}(?:·[\u4e00-\u9fff]{1,6})+$/.test(v) ? 0.7 : 0;
  if (v.length > 4) return 0;
  for (let k = 0; k < v.length; k++) if (!isCjk(v.charCodeAt(k))) return 0;
  if (isCompoundSurname(v.slice(0, 2)) && v.length >= 3) return 0.9;
  return isSurnameChar(v[0]!) ? 0.85 : 0.4;
}
