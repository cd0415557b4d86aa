import { hasValidCreditCodeCheck, passesLuhn, residentIdCheckChar } from './check-digits.js';
import { digitsAt, isPlausibleBirthDate } from './dates.js';
import { FAILED_CHECK_CONFIDENCE, type PiiKind } from './kinds.js';
import { isProvinceCode } from './regions.js';

/** What a bare identifier-shaped string most likely is, with the confidence of that guess. */
export interface NumberGuess {
  kind: PiiKind;
  confidence: number;
}

/** Whether the first 17 characters are digits (no regex: this runs once per candidate, millions of times). */
function digits17(v: string): boolean {
  for (let i = 0; i < 17; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** GB 11643 check of a candidate whose first 17 characters are known to be digits. */
function idCheckHolds(v: string): boolean {
  return residentIdCheckChar(v).charCodeAt(0) === (v.charCodeAt(17) === 120 ? 88 : v.charCodeAt(17));
}

/** Whether an 18-character ID number has a real province prefix and a real, past birth date. */
export function isPlausibleResidentId(v: string, today: Date): boolean {
  return (
    isProvinceCode(v) &&
    isPlausibleBirthDate(digitsAt(v, 6, 4), digitsAt(v, 10, 2), digitsAt(v, 12, 2), today)
  );
}

/** Whether a 15-digit string is a plausible first-generation ID number (region + YYMMDD, 19xx). */
function isPlausibleOldId(v: string, today: Date): boolean {
  return (
    isProvinceCode(v) &&
    isPlausibleBirthDate(1900 + digitsAt(v, 6, 2), digitsAt(v, 8, 2), digitsAt(v, 10, 2), today)
  );
}

// Registration-authority + organisation-type pairs defined by GB 32100 (机构编制, 民政, 工商 …).
const CREDIT_TYPES = /^(?:1[1-39]|2[19]|3[1-59]|4[19]|5[1-39]|6[129]|7[1-29]|8[19]|9[1-3]|A[19]|N[1-39]|Y1)/;

/** Whether an 18-character code is a well-formed credit code whose check character matches. */
export function isValidCreditCode(v: string): boolean {
  return hasValidCreditCodeCheck(v) && CREDIT_TYPES.test(v) && isProvinceCode(v.slice(2, 4));
}

// A plausible ID number that a card reading would otherwise claim: reported, as the ID number.
const MISTYPED_ID_CONFIDENCE = 0.7;

function cardGuess(v: string): NumberGuess | undefined {
  const first = v.charCodeAt(0) - 48;
  const plausibleIssuer = first >= 3 && first <= 6;
  if (passesLuhn(v)) {
    if (v.startsWith('62')) return { kind: 'bank-card', confidence: 0.97 };
    return { kind: 'bank-card', confidence: plausibleIssuer ? 0.85 : 0.6 };
  }
  if (plausibleIssuer)
    return { kind: 'bank-card', confidence: v.startsWith('62') ? FAILED_CHECK_CONFIDENCE : 0.15 };
  return undefined;
}

/** Classifies a bare run of 15–19 digits (ID numbers, credit codes, bank cards). */
export function classifyLongDigits(v: string, today: Date): NumberGuess | undefined {
  const len = v.length;
  if (len === 18) {
    const plausible = isPlausibleResidentId(v, today);
    if (plausible && idCheckHolds(v)) return { kind: 'id-number', confidence: 0.99 };
    if (isValidCreditCode(v)) return { kind: 'credit-code', confidence: 0.9 };
    // A real region and a real past birth date with a wrong check character: a mistyped ID
    // number. One string in ten passes Luhn, and every Gansu number (62…) looks like UnionPay, so
    // a Luhn pass does not make it a card; it only makes the mistyped ID the likelier reading.
    if (plausible)
      return {
        kind: 'id-number',
        confidence: v.startsWith('62') && passesLuhn(v) ? MISTYPED_ID_CONFIDENCE : FAILED_CHECK_CONFIDENCE,
      };
    return cardGuess(v);
  }
  if (len === 15 && isPlausibleOldId(v, today)) return { kind: 'id-number', confidence: 0.6 };
  if (len >= 16 && len <= 19) return cardGuess(v);
  return undefined;
}

/** Classifies an 18-character token holding letters: an ID number ending in X, or a credit code. */
export function classifyAlnum18(v: string, today: Date): NumberGuess | undefined {
  const last = v.charCodeAt(17) | 32;
  if (last === 120 && digits17(v)) {
    const plausible = isPlausibleResidentId(v, today);
    if (plausible && idCheckHolds(v)) return { kind: 'id-number', confidence: 0.99 };
    return plausible ? { kind: 'id-number', confidence: FAILED_CHECK_CONFIDENCE } : undefined;
  }
  if (!/^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/.test(v)) return undefined;
  if (isValidCreditCode(v)) return { kind: 'credit-code', confidence: 0.97 };
  // Early pilot codes can fail the check though legitimate (see standards.md): report, low.
  if (hasValidCreditCodeCheck(v)) return { kind: 'credit-code', confidence: 0.6 };
  return isProvinceCode(v.slice(2, 4))
    ? { kind: 'credit-code', confidence: FAILED_CHECK_CONFIDENCE }
    : undefined;
}
