import { isIPv6 } from 'node:net';
import { classifyAlnum18 } from './classify-number.js';
import { contextBefore, emit, type ScanContext } from './scan-context.js';

const PASSPORT_STRONG = /^(?:[EG]\d{8}|E[A-HJ-NP-Z]\d{7})$/;
const PASSPORT_WEAK = /^(?:[DSP]E?\d{7}|[HMC]\d{8}(?:\d{2})?)$/;
const PASSPORT_CONTEXT = ['护照', '通行证', 'passport', '证件'];
const IPV6_SPAN = /[0-9A-Fa-f:.]+/y;
const LOCAL = /[A-Za-z0-9._%+-]/;
const DOMAIN = /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])/y;

/** Tries an IPv6 address starting at `s`; returns where it ends, or -1. */
export function tryIpv6(ctx: ScanContext, s: number): number {
  IPV6_SPAN.lastIndex = s;
  const m = IPV6_SPAN.exec(ctx.text);
  if (!m) return -1;
  let v = m[0];
  while (v.endsWith('.') || (v.endsWith(':') && !v.endsWith('::'))) v = v.slice(0, -1);
  if (v.split(':').length < 3 || !isIPv6(v)) return -1;
  emit(ctx, 'ipv6', s, s + v.length, 0.9);
  return s + v.length;
}

/** Reports the e-mail address around the `@` at `at`; returns where it ends, or -1. */
export function tryEmail(ctx: ScanContext, at: number): number {
  const { text } = ctx;
  let s = at;
  while (s > 0 && at - s < 64 && LOCAL.test(text[s - 1]!)) s--;
  while (s < at && text.charCodeAt(s) === 46) s++;
  if (s === at || text.charCodeAt(at - 1) === 46) return -1;
  DOMAIN.lastIndex = at + 1;
  if (!DOMAIN.test(text)) return -1;
  emit(ctx, 'email', s, DOMAIN.lastIndex, 0.95);
  return DOMAIN.lastIndex;
}

/** Classifies the alphanumeric token text[s, e) that holds at least one letter; returns where to go on. */
export function scanAlnum(ctx: ScanContext, s: number, e: number): number {
  const { text } = ctx;
  const len = e - s;
  if (len === 18) {
    const guess = classifyAlnum18(text.slice(s, e), ctx.today);
    if (guess) emit(ctx, guess.kind, s, e, guess.confidence);
  } else if (len >= 8 && len <= 11) {
    const v = text.slice(s, e);
    const strong = PASSPORT_STRONG.test(v);
    if (strong || PASSPORT_WEAK.test(v)) {
      const ctxHit = contextBefore(text, s, PASSPORT_CONTEXT, 10);
      emit(ctx, 'passport', s, e, ctxHit ? 0.95 : strong ? 0.8 : 0.35);
    }
  }
  return e;
}
