import { creditCodeCheckChar, passesLuhn, residentIdCheckChar } from '../../src/privacy/index.js';
import type { Rng } from './rng.js';

const REGIONS = [
  '110105',
  '110108',
  '310115',
  '350102',
  '350203',
  '440305',
  '440106',
  '330106',
  '320102',
  '510107',
  '420106',
  '610113',
  '370202',
  '500103',
  '650102',
  '130102',
  '210102',
  '230102',
  '450102',
  '530102',
];
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DOMAINS = ['example.com', 'gov.example.cn', 'mail.example.org', '163.example.net', 'qq.example.com'];
const LOCALS = [
  'zhangsan',
  'li.si',
  'wang_fang',
  'chen.ming88',
  'liuyang',
  'huang.lei',
  'zhao123',
  'sun.li',
  'admin.hr',
];

/** A birth date between 1940 and 2019 as [y, m, d]. */
export function birthDate(rng: Rng): [number, number, number] {
  return [rng.int(1940, 2019), rng.int(1, 12), rng.int(1, 28)];
}
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A resident ID number; `valid: false` gives a wrong check character. */
export function idNumber(rng: Rng, valid = true): string {
  const [y, m, d] = birthDate(rng);
  const first17 = `${rng.pick(REGIONS)}${y}${pad(m)}${pad(d)}${rng.digits(3)}`;
  const check = residentIdCheckChar(first17);
  if (valid) return first17 + check;
  const wrong = '10X98765432'.replace(check, '');
  return first17 + wrong[rng.int(0, wrong.length - 1)];
}

/**
 * A Gansu (62…) ID number with a wrong check character that passes Luhn: a mistyped ID number
 * that also looks like a UnionPay card; the classification must call it an ID number.
 */
export function mistypedGansuId(rng: Rng): string {
  for (;;) {
    const [y, m, d] = birthDate(rng);
    const first17 = `${rng.pick(['620102', '620103', '620402', '621102'])}${y}${pad(m)}${pad(d)}${rng.digits(3)}`;
    const check = residentIdCheckChar(first17);
    const luhn = [...'0123456789'].find((c) => c !== check && passesLuhn(first17 + c));
    if (luhn) return first17 + luhn;
  }
}

/** A unified social credit code (enterprise, 91…). */
export function creditCode(rng: Rng, valid = true): string {
  let body = `91${rng.pick(REGIONS)}`;
  for (let i = 0; i < 9; i++) body += CREDIT_ALPHABET[rng.int(0, 30)];
  const check = creditCodeCheckChar(body)!;
  if (valid) return body + check;
  return body + CREDIT_ALPHABET[(CREDIT_ALPHABET.indexOf(check) + rng.int(1, 30)) % 31];
}

/** A mobile number in one of the written forms. */
export function mobile(rng: Rng): string {
  const n = `1${rng.int(3, 9)}${rng.digits(9)}`;
  const form = rng.int(0, 5);
  if (form === 3) return `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`;
  if (form === 4) return `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`;
  if (form === 5) return `+86 ${n}`;
  return n;
}

/** A landline with area code. */
export function landline(rng: Rng): string {
  const area = rng.pick(['010', '021', '020', '0591', '0755', '0571', '028']);
  const local = `${rng.int(2, 8)}${rng.digits(area.length === 3 || rng.chance(0.5) ? 7 : 6)}`;
  return `${area}-${local}`;
}

/** A bank card (mostly UnionPay 62…); `valid: false` breaks the Luhn digit. */
export function bankCard(rng: Rng, valid = true): string {
  const len = rng.pick([16, 19, 19, 16, 18]);
  const prefix = rng.chance(0.8) ? '62' : rng.pick(['4', '5']);
  const body = prefix + rng.digits(len - prefix.length - 1);
  let check = 0;
  while (!passesLuhn(body + check)) check++;
  return body + (valid ? check : (check + rng.int(1, 9)) % 10);
}

/** An e-mail address. */
export function email(rng: Rng): string {
  return `${rng.pick(LOCALS)}${rng.chance(0.5) ? rng.int(1, 999) : ''}@${rng.pick(DOMAINS)}`;
}

/** A passport number (E + 8 digits, or E + letter + 7 digits). */
export function passport(rng: Rng): string {
  return rng.chance(0.7) ? `E${rng.digits(8)}` : `E${rng.pick([...'ABCDEFGH'])}${rng.digits(7)}`;
}

/** A vehicle plate: regular or new-energy. */
export function plate(rng: Rng): string {
  const head = rng.pick([...PLATE_PROVINCES]) + rng.pick([...PLATE_LETTERS.replace(/[IO]/g, '')]);
  if (rng.chance(0.3))
    return `${head}${rng.pick(['D', 'F'])}${rng.pick([...'ABCDEFGHJK0123456789'])}${rng.digits(4)}`;
  return `${head}${rng.chance(0.5) ? rng.pick([...'ABCDEFGHJK']) : rng.int(0, 9)}${rng.digits(4)}`;
}

/** An IPv4 or IPv6 address. */
export function ip(rng: Rng): [string, 'ipv4' | 'ipv6'] {
  if (rng.chance(0.7))
    return [`${rng.int(1, 223)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, 'ipv4'];
  const g = () => rng.int(0, 0xffff).toString(16);
  return [rng.chance(0.5) ? `2001:db8:${g()}:${g()}::${g()}` : `fe80::${g()}:${g()}:${g()}:${g()}`, 'ipv6'];
}

/** A birth date as written in forms. */
export function writtenDate(rng: Rng): string {
  const [y, m, d] = birthDate(rng);
  return rng.chance(0.5) ? `${y}-${pad(m)}-${pad(d)}` : `${y}年${m}月${d}日`;
}
