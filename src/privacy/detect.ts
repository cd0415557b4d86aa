import { buildCharTable, F_ADDR, F_ALNUM, F_ALPHA, F_CTX, F_NET, F_PLATE, F_SEP } from './char-table.js';
import { scanAddresses } from './detect-address.js';
import { scanDigits } from './detect-digits.js';
import { NAME_CONTEXT_STARTS, tryNameContext } from './detect-name.js';
import { scanAlnum, tryEmail, tryIpv6 } from './detect-net.js';
import { tryPlate } from './detect-plate.js';
import type { Finding, PiiKind } from './kinds.js';
import type { ScanContext } from './scan-context.js';

const TABLE = buildCharTable(NAME_CONTEXT_STARTS);

/** Options of the detectors. */
export interface DetectOptions {
  /** Only report these kinds (default: all). */
  kinds?: readonly PiiKind[];
  /** Drop findings below this confidence (default 0: look-alikes are reported with low confidence). */
  minConfidence?: number;
  /** "Today" for birth-date plausibility (default: now). */
  today?: Date;
}

/** Keeps, of overlapping findings, the widest (then the most confident): one span, one kind. */
export function resolveOverlaps(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  findings.sort((a, b) => a.start - b.start || b.end - a.end || b.confidence - a.confidence);
  const out: Finding[] = [];
  for (const f of findings) {
    const last = out[out.length - 1];
    if (!last || f.start >= last.end) out.push(f);
    else if (f.end > last.end && f.confidence > last.confidence) out[out.length - 1] = f;
  }
  return out;
}

/** The single pass: a table lookup per character, detectors only where a flag says so. */
function scan(ctx: ScanContext): void {
  const { text } = ctx;
  const n = text.length;
  let segStart = 0;
  let anchors = 0;
  for (let i = 0; i < n; i++) {
    const f = TABLE[text.charCodeAt(i)]!;
    if (f === 0) continue;
    if (f & F_ALNUM) {
      let j = i + 1;
      let alpha = f & F_ALPHA;
      // Bounds first: TABLE[NaN] (charCodeAt past the end) would leave the typed array's fast path.
      while (j < n) {
        const g = TABLE[text.charCodeAt(j)]!;
        if (!(g & F_ALNUM)) break;
        alpha |= g & F_ALPHA;
        j++;
      }
      if (text.charCodeAt(j) === 58 && j - i <= 4 && /^[0-9A-Fa-f]+$/.test(text.slice(i, j))) {
        const end = tryIpv6(ctx, i);
        if (end > 0) {
          i = end - 1;
          continue;
        }
      }
      i = (alpha ? scanAlnum(ctx, i, j) : scanDigits(ctx, i, j)) - 1;
      continue;
    }
    if (f & F_SEP) {
      if (anchors >= 2) scanAddresses(ctx, segStart, i);
      anchors = 0;
      segStart = i + 1;
      if (f & F_NET) {
        const end =
          text.charCodeAt(i) === 64 ? tryEmail(ctx, i) : text.charCodeAt(i + 1) === 58 ? tryIpv6(ctx, i) : -1;
        if (end > i) {
          i = end - 1;
          segStart = end;
        }
      }
      continue;
    }
    if (f & F_ADDR) anchors++;
    if (f & F_PLATE) {
      const end = tryPlate(ctx, i);
      if (end >= 0) {
        i = end - 1;
        continue;
      }
    }
    if (f & F_CTX) {
      const end = tryNameContext(ctx, i);
      if (end > i + 1) i = end - 1;
    }
  }
  if (anchors >= 2) scanAddresses(ctx, segStart, n);
}

/** Finds personal identifiers in a text: each finding has kind, span [start, end), value, confidence. */
export function detectPii(text: string, options: DetectOptions = {}): Finding[] {
  const ctx: ScanContext = { text, out: [], today: options.today ?? new Date() };
  scan(ctx);
  let found = resolveOverlaps(ctx.out);
  const min = options.minConfidence ?? 0;
  const kinds = options.kinds ? new Set(options.kinds) : undefined;
  if (min > 0 || kinds) found = found.filter((f) => f.confidence >= min && (!kinds || kinds.has(f.kind)));
  return found;
}
