import type { DetectOptions } from './detect.js';
import { detectPii } from './detect.js';
import type { Finding } from './kinds.js';

/** The outcome of decoding bytes: the text, or where the first invalid UTF-8 sequence starts. */
export type DecodeResult =
  | { ok: true; text: string }
  | { ok: false; code: 'invalid_utf8'; offset: number; message: string };

/** Offset of the first byte that does not start a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0 || i + need >= b.length) return i;
    const c1 = b[i + 1]!;
    // Overlong forms, surrogates and code points above U+10FFFF are invalid (RFC 3629).
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (c1 < lo || c1 > hi) return i;
    for (let k = 2; k <= need; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

/** Decodes UTF-8 strictly: invalid input is a result with a stable code, never an exception. */
export function decodeUtf8(bytes: Uint8Array): DecodeResult {
  const offset = firstInvalidUtf8(bytes);
  if (offset >= 0)
    return { ok: false, code: 'invalid_utf8', offset, message: `invalid UTF-8 at byte ${offset}` };
  return { ok: true, text: new TextDecoder('utf-8').decode(bytes) };
}

/** Result of scanning bytes: findings, or the decoding failure. */
export type DetectBytesResult =
  | { ok: true; findings: Finding[] }
  | { ok: false; code: 'invalid_utf8'; offset: number; message: string };

/**
 * Scans UTF-8 bytes. Invalid UTF-8 gives `{ok: false, code: 'invalid_utf8'}` unless `lenient`,
 * which decodes with U+FFFD replacements (spans then count the replaced text).
 */
export function detectPiiInBytes(
  bytes: Uint8Array,
  options: DetectOptions & { lenient?: boolean } = {},
): DetectBytesResult {
  if (options.lenient)
    return { ok: true, findings: detectPii(new TextDecoder('utf-8').decode(bytes), options) };
  const decoded = decodeUtf8(bytes);
  return decoded.ok ? { ok: true, findings: detectPii(decoded.text, options) } : decoded;
}
