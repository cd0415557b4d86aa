import { emit, isAlnumAt, type ScanContext } from './scan-context.js';

// After the province character: the issuing-authority letter, an optional separator, then five
// characters (regular) or six (new-energy: D/F first for small cars, last for large ones).
const PLATE =
  /[A-HJ-NP-Z][·•\- ]?(?:([DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])|([A-HJ-NP-Z0-9]{5})[挂学警港澳领试超]?)/y;

/** Tries a vehicle plate whose province character is at `i`; returns where it ends, or -1. */
export function tryPlate(ctx: ScanContext, i: number): number {
  const { text } = ctx;
  PLATE.lastIndex = i + 1;
  const m = PLATE.exec(text);
  if (!m) return -1;
  const end = PLATE.lastIndex;
  if (isAlnumAt(text, end)) return -1;
  if (m[1]) {
    emit(ctx, 'plate', i, end, 0.93);
    return end;
  }
  let digits = 0;
  for (const ch of m[2]!) if (ch >= '0' && ch <= '9') digits++;
  if (digits < 2) return -1;
  emit(ctx, 'plate', i, end, digits >= 4 ? 0.9 : 0.8);
  return end;
}
