import { passesLuhn } from './check-digits.js';
import { classifyLongDigits } from './classify-number.js';
import { isPlausibleBirthDate, isRealDate } from './dates.js';
import {
  BIRTH_CONTEXT,
  contextBefore,
  emit,
  isAlnumAt,
  isDigitAt,
  type ScanContext,
} from './scan-context.js';

const DATE = /(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日?)(?![0-9])/y;
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?:${OCTET}\\.){3}${OCTET}(?![0-9]|\\.[0-9])`, 'y');
const MOBILE = /^1[3-9]\d{9}$/;
const CARD_CONTEXT = ['卡', '账号', '帐号', '账户', 'card', 'account'];
const CREDIT_CONTEXT = ['信用代码', '社会信用', '代码', 'uscc', 'credit'];
const SERIAL_CONTEXT = ['订单', '流水', '单号', '编号', '运单', '交易号', '序号', '批次', 'order', 'no.'];

/** A card's confidence moved by the words before it: 卡号 raises it, 订单号/流水号 lowers it. */
function cardConfidence(text: string, s: number, confidence: number): number {
  if (confidence < 0.5) return confidence;
  if (contextBefore(text, s, SERIAL_CONTEXT, 8)) return confidence * 0.5;
  return contextBefore(text, s, CARD_CONTEXT, 8) ? Math.max(confidence, 0.95) : confidence;
}

/** Whether an area code + subscriber number form a Chinese landline (010/02x + 8, 0[3-9]xx + 7–8). */
export function isLandline(area: string, local: string): boolean {
  if (local.charCodeAt(0) === 48 || local.charCodeAt(0) === 49) return false;
  if (area === '010' || /^02\d$/.test(area)) return local.length === 8;
  return /^0[3-9]\d\d$/.test(area) && (local.length === 7 || local.length === 8);
}

function tryDate(ctx: ScanContext, s: number): number {
  DATE.lastIndex = s;
  const m = DATE.exec(ctx.text);
  if (!m) return -1;
  const y = Number(m[1]);
  const mo = Number(m[3] ?? m[5]);
  const d = Number(m[4] ?? m[6]);
  if (!isRealDate(y, mo, d)) return -1;
  if (isPlausibleBirthDate(y, mo, d, ctx.today)) {
    emit(ctx, 'birth-date', s, DATE.lastIndex, contextBefore(ctx.text, s, BIRTH_CONTEXT) ? 0.9 : 0.3);
  }
  return DATE.lastIndex;
}

function tryIpv4(ctx: ScanContext, s: number): number {
  IPV4.lastIndex = s;
  if (!IPV4.test(ctx.text)) return -1;
  emit(ctx, 'ipv4', s, IPV4.lastIndex, 0.9);
  return IPV4.lastIndex;
}

/** Digit groups after `e` joined by one repeated separator (space or hyphen): [start, end) pairs. */
function groupsFrom(text: string, s: number, e: number): number[] {
  const g = [s, e];
  const sep = text.charCodeAt(e);
  if (sep !== 32 && sep !== 45) return g;
  let at = e;
  while (g.length < 12 && text.charCodeAt(at) === sep && isDigitAt(text, at + 1)) {
    let j = at + 1;
    while (isDigitAt(text, j)) j++;
    if (isAlnumAt(text, j)) break;
    g.push(at + 1, j);
    at = j;
  }
  return g;
}

function digitsOf(text: string, g: number[], from: number, to: number): string {
  let v = '';
  for (let k = from; k < to; k++) v += text.slice(g[2 * k]!, g[2 * k + 1]!);
  return v;
}

/** Grouped forms: 138 1234 5678, +86 138-1234-5678, 6222 0212 3456 7890, 0591-87654321. */
function tryGroups(ctx: ScanContext, s: number, e: number, plus: boolean): number {
  const { text } = ctx;
  const g = groupsFrom(text, s, e);
  const n = g.length / 2;
  if (n < 2) return -1;
  const lens = Array.from({ length: n }, (_, k) => g[2 * k + 1]! - g[2 * k]!);
  const start = plus ? s - 1 : s;
  let k0 = 0;
  if (text.slice(s, e) === '86') k0 = 1;
  const mobileParts =
    lens[k0] === 11 ? 1 : lens[k0] === 3 && lens[k0 + 1] === 4 && lens[k0 + 2] === 4 ? 3 : 0;
  if (
    mobileParts > 0 &&
    (k0 === 1 || mobileParts === 3) &&
    MOBILE.test(digitsOf(text, g, k0, k0 + mobileParts))
  ) {
    const end = g[2 * (k0 + mobileParts) - 1]!;
    emit(ctx, 'mobile', k0 === 1 ? start : s, end, 0.92);
    return end;
  }
  if (k0 === 1) return -1;
  if (lens[0] === 4 && lens[1] === 4 && lens[2] === 4 && lens[3] === 4) {
    const parts = n > 4 && lens[4]! <= 3 ? 5 : 4;
    const card = classifyLongDigits(digitsOf(text, g, 0, parts), ctx.today);
    if (card?.kind === 'bank-card' && card.confidence >= 0.5) {
      emit(ctx, 'bank-card', s, g[2 * parts - 1]!, cardConfidence(text, s, card.confidence));
      return g[2 * parts - 1]!;
    }
  }
  if (text.charCodeAt(s) === 48 && isLandline(text.slice(s, e), text.slice(g[2]!, g[3]!))) {
    emit(ctx, 'landline', s, g[3]!, 0.85);
    return g[3]!;
  }
  return -1;
}

/** An all-digit credit code (1 in 31 random numbers pass its check): trusted by context, else a card if UnionPay. */
function creditOrCard(ctx: ScanContext, v: string, s: number, e: number): void {
  const { text } = ctx;
  const credit = contextBefore(text, s, CREDIT_CONTEXT, 10);
  if (!credit && passesLuhn(v) && (v.startsWith('62') || contextBefore(text, s, CARD_CONTEXT, 8))) {
    emit(ctx, 'bank-card', s, e, cardConfidence(text, s, 0.9));
  } else {
    const other = contextBefore(text, s, SERIAL_CONTEXT, 8) || contextBefore(text, s, CARD_CONTEXT, 8);
    emit(ctx, 'credit-code', s, e, credit ? 0.9 : other ? 0.3 : 0.6);
  }
}

/** Classifies the all-digit token text[s, e) and returns where the scan continues. */
export function scanDigits(ctx: ScanContext, s: number, e: number): number {
  const { text } = ctx;
  const before = text.charCodeAt(s - 1);
  const after = text.charCodeAt(e);
  if (before === 46 && isDigitAt(text, s - 2)) return e; // the fraction of a decimal number
  const len = e - s;
  if (len === 4 && (after === 45 || after === 47 || after === 46 || after === 0x5e74)) {
    const end = tryDate(ctx, s);
    if (end >= 0) return end;
  }
  if (len <= 3 && after === 46) {
    const end = tryIpv4(ctx, s);
    if (end >= 0) return end;
  }
  if (after === 46 && isDigitAt(text, e + 1)) return e; // the integer part of a decimal number
  if (after === 32 || after === 45) {
    const end = tryGroups(ctx, s, e, before === 43);
    if (end >= 0) return end;
  }
  const v = text.slice(s, e);
  if (len === 11) {
    if (MOBILE.test(v)) emit(ctx, 'mobile', s, e, 0.95);
    else if (isLandline(v.slice(0, 3), v.slice(3)) || isLandline(v.slice(0, 4), v.slice(4)))
      emit(ctx, 'landline', s, e, 0.6);
  } else if (len === 13 && v.startsWith('86') && MOBILE.test(v.slice(2))) {
    emit(ctx, 'mobile', before === 43 ? s - 1 : s, e, 0.9);
  } else if (len === 12 && isLandline(v.slice(0, 4), v.slice(4))) {
    emit(ctx, 'landline', s, e, 0.6);
  } else if (len === 8) {
    const y = Number(v.slice(0, 4));
    const m = Number(v.slice(4, 6));
    const d = Number(v.slice(6));
    if (isPlausibleBirthDate(y, m, d, ctx.today)) {
      emit(ctx, 'birth-date', s, e, contextBefore(text, s, BIRTH_CONTEXT) ? 0.85 : 0.2);
    }
  } else if (len >= 15 && len <= 19) {
    const guess = classifyLongDigits(v, ctx.today);
    if (guess?.kind === 'credit-code') creditOrCard(ctx, v, s, e);
    else if (guess)
      emit(
        ctx,
        guess.kind,
        s,
        e,
        guess.kind === 'bank-card' ? cardConfidence(text, s, guess.confidence) : guess.confidence,
      );
  }
  return e;
}
