import { maskAddress } from './address-mask.js';
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

/** What `redact` gives for every non-null value: fixed, so that not even the length shows. */
export const REDACTED = '***';

function keepEnds(chars: string[], first: number, last: number, stars: number): string {
  const run = '*'.repeat(stars);
  const len = chars.length;
  if (len <= first + last) return run;
  return chars.slice(0, first).join('') + run + chars.slice(len - last).join('');
}

// The surname (two characters for a compound one, when something follows it) and one star.
function maskName(chars: string[]): string {
  if (chars.length <= 1) return '*';
  const s = chars.length > 2 && compound.has(chars[0]! + chars[1]!) ? 2 : 1;
  return `${chars.slice(0, s).join('')}*`;
}

const onlyDigits = (v: string) => /^[0-9]+$/.test(v);

function band(n: number, width: number): string {
  const lo = Math.floor(n / width) * width;
  return width === 1 ? String(lo) : `${lo}-${lo + width - 1}`;
}

function ageBand(v: string, width: number, top?: number): string | null {
  if (v.length > 3 || !onlyDigits(v)) return null;
  const age = Number(v);
  if (top !== undefined && age >= top) return `${top}+`;
  return band(age, width);
}

// A value starts as a date when it opens with four digits that are not part of a longer number
// (1990, 1990-05-12, 1990年5月, 19900512): a mobile number or an amount gives NULL, not its digits.
function year(v: string, width: number): string | null {
  const y = v.slice(0, 4);
  if (v.length < 4 || !onlyDigits(y)) return null;
  if (v.length !== 4 && onlyDigits(v.slice(0, 5)) && !(v.length === 8 && onlyDigits(v))) return null;
  return width === 1 ? y : band(Number(y), width);
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
      return REDACTED;
    case 'suppress':
      return '*';
    case 'hmac':
      return hmacHex(context.hmacKey, v);
    case 'year':
      return year(v, s.width ?? 1);
    case 'age-band':
      return ageBand(v, s.width, s.top);
    case 'region':
      if (v.length !== 6 || !onlyDigits(v)) return null;
      return s.level === 'city' ? `${v.slice(0, 4)}00` : `${v.slice(0, 2)}0000`;
    case 'address':
      return maskAddress(v);
    case 'keep':
      return keepEnds(Array.from(v), s.first, s.last, s.stars);
    case 'name':
      return maskName(Array.from(v));
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
