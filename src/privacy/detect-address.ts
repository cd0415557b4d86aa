import { isCjk } from './char-table.js';
import { PROVINCES } from './regions.js';
import { emit, type ScanContext } from './scan-context.js';

// Address units, each a name followed by a suffix. Administrative levels must appear in
// order (省 → 市 → 区 → 街道 → 村); street-level units (路, 号, 栋, 室, 小区) may follow in any order.
const PROV = 1;
const CITY = 2;
const DIST = 3;
const TOWN = 4;
const VILL = 5;
const ROAD = 6;
const NUM = 7;
const SUB = 8;

const SUFFIXES: [string, number][] = [
  ['特别行政区', PROV],
  ['自治区', PROV],
  ['省', PROV],
  ['自治州', CITY],
  ['地区', CITY],
  ['市', CITY],
  ['州', CITY],
  ['盟', CITY],
  ['自治县', DIST],
  ['自治旗', DIST],
  ['区', DIST],
  ['县', DIST],
  ['旗', DIST],
  ['街道', TOWN],
  ['镇', TOWN],
  ['乡', TOWN],
  ['苏木', TOWN],
  ['社区', VILL],
  ['小区', VILL],
  ['村', VILL],
  ['嘎查', VILL],
  ['花园', VILL],
  ['公寓', VILL],
  ['大道', ROAD],
  ['大街', ROAD],
  ['胡同', ROAD],
  ['路', ROAD],
  ['街', ROAD],
  ['巷', ROAD],
  ['弄', ROAD],
  ['道', ROAD],
  ['号楼', SUB],
  ['号院', NUM],
  ['号', NUM],
  ['栋', SUB],
  ['幢', SUB],
  ['座', SUB],
  ['单元', SUB],
  ['楼', SUB],
  ['层', SUB],
  ['室', SUB],
];
const MAX_NAME = [0, 5, 9, 8, 6, 8, 10, 6, 5];
const MUNICIPALITIES = new Set(['北京', '天津', '上海', '重庆']);
const STOP = new Set(
  '在住于位址是为到至从往和与的了我他她你您家请送寄发向：近旁及或即其该本示说称寄送达谢感',
);
const NUMERAL = /^(?:[0-9]{1,5}(?:-[0-9]{1,4})?|[一二三四五六七八九十百零〇]{1,4})$/;
const SUB_NAME = /^(?:[0-9A-Za-z]{1,5}|[一二三四五六七八九十]{1,3})$/;

const byFirst = new Map<number, [string, number][]>();
for (const s of SUFFIXES) {
  const list = byFirst.get(s[0].charCodeAt(0)) ?? [];
  list.push(s);
  list.sort((a, b) => b[0].length - a[0].length);
  byFirst.set(s[0].charCodeAt(0), list);
}

interface Unit {
  start: number;
  nameEnd: number;
  end: number;
  level: number;
}

function unitsOf(text: string, s: number, e: number): Unit[] {
  const units: Unit[] = [];
  let start = s;
  for (let j = s; j < e; j++) {
    const list = byFirst.get(text.charCodeAt(j));
    if (!list || j === start) continue;
    for (const [word, level] of list) {
      if (j + word.length > e || !text.startsWith(word, j)) continue;
      // 鼓楼区, 大道, 号码: a number-level suffix needs a numeral right before it.
      if ((level === NUM || level === SUB) && !/[0-9A-Za-z一二三四五六七八九十百零〇]/.test(text[j - 1]!))
        continue;
      // 万科城5栋: the place name before a number becomes a unit of its own.
      let numStart = j;
      while ((level === NUM || level === SUB) && numStart > start && /[0-9A-Za-z-]/.test(text[numStart - 1]!))
        numStart--;
      if (
        numStart - start >= 2 &&
        numStart < j &&
        isCjk(text.charCodeAt(numStart - 1)) &&
        text[numStart - 1] !== '第'
      ) {
        units.push({ start, nameEnd: numStart, end: numStart, level: VILL });
        start = numStart;
      }
      units.push({ start, nameEnd: j, end: j + word.length, level });
      start = j + word.length;
      j = start - 1;
      break;
    }
  }
  return units;
}

function validName(name: string, level: number): boolean {
  if (name.length === 0 || name.length > MAX_NAME[level]!) return false;
  if (level === NUM) return NUMERAL.test(name);
  if (level === SUB) return SUB_NAME.test(name);
  let cjk = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (isCjk(c)) cjk++;
    else if (level < ROAD || c < 48 || c > 57) return false;
  }
  return cjk > 0;
}

/** Trims the junk before the first unit of an address (我住在福建省 → 福建省); false if none is left. */
function trimFirst(text: string, u: Unit): boolean {
  const name = text.slice(u.start, u.nameEnd);
  if (u.level === PROV) {
    for (const p of PROVINCES.values()) {
      const at = name.indexOf(p);
      if (at >= 0) {
        u.start += at;
        return validName(text.slice(u.start, u.nameEnd), u.level);
      }
    }
  }
  if (u.level === NUM || u.level === SUB) {
    let k = u.nameEnd;
    while (k > u.start && /[0-9A-Za-z-]/.test(text[k - 1]!)) k--;
    u.start = k;
  } else {
    u.start = Math.max(u.start, u.nameEnd - MAX_NAME[u.level]!);
    // Cut after the last particle or verb (…表示寄往|成都市), as long as a two-character name is left.
    for (let k = u.nameEnd - 3; k >= u.start; k--) {
      if (STOP.has(text[k]!)) {
        u.start = k + 1;
        break;
      }
    }
  }
  return validName(text.slice(u.start, u.nameEnd), u.level);
}

function follows(prev: Unit, next: Unit): boolean {
  if (next.level >= VILL) return true;
  return next.level > prev.level;
}

function accept(ctx: ScanContext, chain: Unit[]): void {
  if (chain.length < 2) return;
  let admins = 0;
  let roadNum = false;
  let local = false;
  for (let k = 0; k < chain.length; k++) {
    const l = chain[k]!.level;
    if (l <= VILL) admins++;
    if (l === TOWN || l === VILL) local = true;
    if (l === NUM && k > 0 && chain[k - 1]!.level >= TOWN && chain[k - 1]!.level <= ROAD) roadNum = true;
  }
  let conf = 0;
  if (roadNum) conf = admins >= 1 ? 0.92 : 0.75;
  else if (admins >= 3) conf = local ? 0.8 : 0.45;
  if (conf > 0) emit(ctx, 'address', chain[0]!.start, chain[chain.length - 1]!.end, conf);
}

/** Reports the addresses in the clause text[s, e) (called only for clauses with two anchors or more). */
export function scanAddresses(ctx: ScanContext, s: number, e: number): void {
  const { text } = ctx;
  let chain: Unit[] = [];
  for (const u of unitsOf(text, s, e)) {
    const name = text.slice(u.start, u.nameEnd);
    if (u.level === CITY && MUNICIPALITIES.has(name) && text[u.nameEnd] === '市') u.level = PROV;
    else if (u.level === CITY && chain.some((c) => c.level === CITY)) u.level = DIST;
    const prev = chain[chain.length - 1];
    if (prev && prev.end === u.start && follows(prev, u) && validName(name, u.level)) {
      chain.push(u);
      continue;
    }
    accept(ctx, chain);
    chain = trimFirst(text, u) ? [u] : [];
  }
  accept(ctx, chain);
}
