import { creditCodeCheckChar, residentIdCheckChar } from '../privacy/index.js';
import type { Random } from './random.js';

/** A resident ID number (GB 11643): district, birth date, sequence (odd for men), check character. */
export function residentId(districtCode: string, birthDate: string, sequence: number, male: boolean): string {
  // The sequence's last digit carries the sex: odd for men, even for women.
  const seq = sequence * 2 + (male ? 1 : 0);
  const first17 = `${districtCode}${birthDate.replaceAll('-', '')}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const ORG_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

// The organisation identifier (GB 11714) inside a credit code has a check character of its own.
function organizationIdentifier(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = first8[i]!;
    const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += v * ORG_WEIGHTS[i]!;
  }
  const check = 11 - (sum % 11);
  return first8 + (check === 10 ? 'X' : check === 11 ? '0' : String(check));
}

/**
 * A unified social credit code (GB 32100): authority and type (`91` enterprise, `11` government
 * body, `12` public institution), region, organisation identifier and the check character.
 */
export function creditCode(rng: Random, prefix: '91' | '92' | '11' | '12', regionCode: string): string {
  let body = '';
  if (prefix === '91' && rng.chance(0.7)) {
    // Codes issued since 2015 mostly start with MA and a letter-digit mix.
    body = 'MA';
    for (let i = 0; i < 6; i++) body += rng.pick([...ORG_CODE_ALPHABET.slice(0, rng.chance(0.7) ? 10 : 31)]);
  } else {
    for (let i = 0; i < 8; i++) body += String(rng.int(0, 9));
  }
  const first17 = `${prefix}${regionCode}${organizationIdentifier(body)}`;
  const check = creditCodeCheckChar(first17);
  if (!check || ![...first17].every((c) => CREDIT_ALPHABET.includes(c)))
    return creditCode(rng, prefix, regionCode);
  return first17 + check;
}

const MOBILE_PREFIXES = [
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '157',
  '158',
  '159',
  '182',
  '183',
  '187',
  '188',
  '130',
  '131',
  '132',
  '155',
  '156',
  '185',
  '186',
  '176',
  '133',
  '153',
  '173',
  '177',
  '180',
  '181',
  '189',
  '199',
];

/** An 11-digit mainland mobile number. */
export function mobileNumber(rng: Random): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}

/** A landline with the city's area code (福州 0591, 厦门 0592, …). */
export function landline(rng: Random, cityCode: string): string {
  const area: Record<string, string> = {
    '350100': '0591',
    '350200': '0592',
    '350300': '0594',
    '350400': '0598',
    '350500': '0595',
    '350600': '0596',
    '350700': '0599',
    '350800': '0597',
    '350900': '0593',
  };
  return `${area[cityCode] ?? '0591'}-${rng.int(2, 8)}${String(rng.int(0, 9_999_999)).padStart(7, '0')}`;
}
