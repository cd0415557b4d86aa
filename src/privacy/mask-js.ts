import { PrivacyError } from './errors.js';
import { type HmacKey, hmacHex } from './hmac-key.js';
import { type MaskSpec, maskSpecSchema, normalizeMask } from './mask-spec.js';
import { COMPOUND_SURNAMES } from './surnames.js';
import { cellText } from './values.js';

/** What a mask may need besides the value: the key of the keyed-hash mask. */
export interface MaskContext {
  hmacKey?: HmacKey;
}

const compound = new Set(COMPOUND_SURNAMES);
const stars = (n: number) => '*'.repeat(Math.max(0, n));

function redact(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    out += c >= 65 && c <= 90 ? 'X' : c >= 97 && c <= 122 ? 'x' : c >= 48 && c <= 57 ? '0' : v[i];
  }
  return out;
}

function keepEnds(chars: string[], first: number, last: number): string {
  const len = chars.length;
  if (len <= first + last) return stars(len);
  return chars.slice(0, first).join('') + stars(len - first - last) + chars.slice(len - last).join('');
}

function maskName(chars: string[]): string {
  if (chars.length <= 1) return stars(chars.length);
  const s = chars.length > 2 && compound.has(chars[0]! + chars[1]!) ? 2 : 1;
  return chars.slice(0, s).join('') + stars(chars.length - s);
}

const onlyDigits = (v: string) => /^[0-9]+$/.test(v);

function ageBand(v: string, width: number, top?: number): string | null {
  if (v.length < 1 || v.length > 3 || !onlyDigits(v)) return null;
  const age = Number(v);
  if (top !== undefined && age >= top) return `${top}+`;
  const lo = Math.floor(age / width) * width;
  return width === 1 ? String(lo) : `${lo}-${lo + width - 1}`;
}

/** Applies a mask to one value in JS; the SQL builders produce the same text for the same input. */
export function applyMask(spec: MaskSpec, value: unknown, context: MaskContext = {}): string | null {
  const s = normalizeMask(spec);
  if (s.kind === 'null') return null;
  const v = cellText(value);
  if (v === null) return null;
  switch (s.kind) {
    case 'none':
      return v;
    case 'redact':
      return redact(v);
    case 'suppress':
      return '*';
    case 'hmac':
      return hmacHex(context.hmacKey, v);
    case 'year':
      return v.length >= 4 && onlyDigits(v.slice(0, 4)) ? v.slice(0, 4) : null;
    case 'age-band':
      return ageBand(v, s.width, s.top);
    case 'region':
      if (v.length !== 6 || !onlyDigits(v)) return null;
      return s.level === 'city' ? `${v.slice(0, 4)}00` : `${v.slice(0, 2)}0000`;
    default:
  }
  const chars = Array.from(v);
  switch (s.kind) {
    case 'first':
      return chars.length <= s.n ? v : chars.slice(0, s.n).join('') + stars(chars.length - s.n);
    case 'last':
      return chars.length <= s.n ? v : stars(chars.length - s.n) + chars.slice(chars.length - s.n).join('');
    case 'keep':
      return keepEnds(chars, s.first, s.last);
    case 'name':
      return maskName(chars);
    default:
      throw new PrivacyError('invalid_mask_spec', `unknown mask ${(s as { kind: string }).kind}`);
  }
}

/** Validates an untrusted mask spec (e.g. from a stored grant); throws PrivacyError `invalid_mask_spec`. */
export function parseMaskSpec(input: unknown): MaskSpec {
  const parsed = maskSpecSchema.safeParse(input);
  if (!parsed.success) {
    throw new PrivacyError('invalid_mask_spec', 'invalid mask specification', {
      issues: parsed.error.issues.length,
    });
  }
  return parsed.data;
}
