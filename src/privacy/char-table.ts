// One 64 KiB lookup table drives the scanner's single pass: a character with no flag (most
// Chinese characters) costs one load and one compare.

/** ASCII digit. */
export const F_DIGIT = 1;
/** ASCII letter. */
export const F_ALPHA = 2;
/** Ends a clause: anything that is not CJK, ASCII alphanumeric, `-`, `#` or `·`. */
export const F_SEP = 4;
/** Address anchor (省 市 区 县 路 号 …). */
export const F_ADDR = 8;
/** Province abbreviation that starts a vehicle plate (京 沪 粤 …). */
export const F_PLATE = 16;
/** First character of a name context word (姓名, 联系人, 先生, 女士 …). */
export const F_CTX = 32;
/** `@` (e-mail) or `:` (IPv6). */
export const F_NET = 64;
/** Either kind of ASCII alphanumeric. */
export const F_ALNUM = F_DIGIT | F_ALPHA;

/** Vehicle-plate province abbreviations (GA 36). */
export const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const ADDRESS_ANCHORS = '省市区县旗盟州镇乡村街路道巷弄号';

/** Whether a UTF-16 code unit is a CJK unified ideograph (BMP, incl. extension A). */
export function isCjk(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
}

/** Builds the lookup table; `contextStarts` are the first characters of the name context words. */
export function buildCharTable(contextStarts: string): Uint8Array {
  const t = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) {
    if (!isCjk(c) && c !== 0x2d && c !== 0x23 && c !== 0xb7) t[c] = F_SEP;
  }
  for (let c = 48; c <= 57; c++) t[c] = F_DIGIT;
  for (let c = 65; c <= 90; c++) t[c] = F_ALPHA;
  for (let c = 97; c <= 122; c++) t[c] = F_ALPHA;
  t[0x40] = F_SEP | F_NET;
  t[0x3a] = F_SEP | F_NET;
  for (const ch of ADDRESS_ANCHORS) t[ch.charCodeAt(0)]! |= F_ADDR;
  for (const ch of PLATE_PROVINCES) t[ch.charCodeAt(0)]! |= F_PLATE;
  for (const ch of contextStarts) t[ch.charCodeAt(0)]! |= F_CTX;
  return t;
}
