import type { Finding, PiiKind } from './kinds.js';

/** State shared by the detectors during one pass over a text. */
export interface ScanContext {
  readonly text: string;
  readonly out: Finding[];
  /** "Today" for the not-in-the-future checks (injectable so results are reproducible). */
  readonly today: Date;
}

/** Records a finding over text[start, end). */
export function emit(ctx: ScanContext, kind: PiiKind, start: number, end: number, confidence: number): void {
  ctx.out.push({ kind, start, end, value: ctx.text.slice(start, end), confidence });
}

/** Whether one of `words` occurs in the `window` characters before `pos` (case-insensitive for ASCII). */
export function contextBefore(text: string, pos: number, words: readonly string[], window = 12): boolean {
  const slice = text.slice(Math.max(0, pos - window), pos).toLowerCase();
  for (const w of words) if (slice.includes(w)) return true;
  return false;
}

/** Whether the code unit at `i` is an ASCII digit. */
export function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Whether the code unit at `i` is an ASCII letter or digit. */
export function isAlnumAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
}

/** Birth-date context words (lower-case). */
export const BIRTH_CONTEXT = ['出生', '生日', '生于', '诞辰', 'birth', 'dob', 'csrq'];
