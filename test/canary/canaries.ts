// Canaries: unique, seed-fixed values planted where a consumer must not reach. Each records the
// substrings that must never appear in an answer (its secrets): the whole value of a cell the
// consumer may not see at all, only the hidden part of a cell it sees masked (the birth date of an
// ID number shown as 350102********1234, the given name of a name shown as 张**). A canary that a
// mask must accept has the format the mask needs (an ID number with its check digit, a mobile
// number, a Luhn-valid card), so that the hunt tests the masks themselves, not a mask's refusal.
import { residentIdCheckChar } from '../../src/privacy/index.js';

/** A seeded PRNG (mulberry32): the same seed plants the same canaries. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One planted value and the substrings of it that must never leave. */
export interface Canary {
  /** Where it is planted, e.g. `people[3].sfzh (masked)`. */
  where: string;
  value: string;
  secrets: string[];
}

// Rare characters for names, streets and diagnoses: none of them occurs in the platform's own
// strings (messages, fixtures, vocabularies), so a hit is a leak and never a coincidence.
const RARE = '燚垚淼犇骉鑫焱譞嫑曌茟玥珺琇瑄璟翀翯彧淏昶晟煜熠燊龑䶮翾鋆';
const SURNAMES = ['张', '李', '王', '陈', '林', '黄', '欧阳', '司马'];
const BASE32 = 'abcdefghjkmnpqrstuvwxyz23456789';

/** The canaries of one hunt, drawn from one seed; every value is unique within the book. */
export class CanaryBook {
  readonly canaries: Canary[] = [];
  private readonly random: () => number;
  private readonly used = new Set<string>();
  private count = 0;

  constructor(readonly seed: number) {
    this.random = seededRandom(seed);
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private unique(make: () => string): string {
    for (;;) {
      const value = make();
      if (!this.used.has(value)) {
        this.used.add(value);
        return value;
      }
    }
  }

  private digits(n: number): string {
    return Array.from({ length: n }, () => String(this.int(10))).join('');
  }

  // Two rare characters, never drawn twice in a book: a secret made of them names one canary only.
  private rarePair(): string {
    return this.unique(() => `${RARE[this.int(RARE.length)]}${RARE[this.int(RARE.length)]}`);
  }

  /** Records a planted value; `secrets` default to the whole value. */
  plant(where: string, value: string, secrets: string[] = [value]): string {
    this.canaries.push({ where, value, secrets });
    return value;
  }

  /** An opaque tag `CNRY-<n>-<random>`, for plain text cells, credentials and free text. */
  tag(): string {
    return this.unique(
      () => `CNRY-${++this.count}-${Array.from({ length: 8 }, () => BASE32[this.int(31)]).join('')}`,
    );
  }

  /** A valid resident ID number of `region`; its birth date (the part the mask hides) is unique. */
  idNumber(region: string): string {
    const birth = this.unique(
      () =>
        `19${30 + this.int(40)}${String(1 + this.int(12)).padStart(2, '0')}${String(1 + this.int(28)).padStart(2, '0')}`,
    );
    const body = `${region}${birth}${this.digits(3)}`;
    return body + residentIdCheckChar(body);
  }

  /** A mobile number whose middle four digits (hidden by the mask) make it unique. */
  mobile(): string {
    return this.unique(() => `1${['39', '58', '86', '77'][this.int(4)]}${this.digits(8)}`);
  }

  /** A 19-digit Luhn-valid bank card number. */
  bankCard(): string {
    return this.unique(() => {
      const body = `622848${this.digits(12)}`;
      let sum = 0;
      for (let i = 0; i < body.length; i++) {
        let d = Number(body[body.length - 1 - i]);
        if (i % 2 === 0) {
          d *= 2;
          if (d > 9) d -= 9;
        }
        sum += d;
      }
      return body + String((10 - (sum % 10)) % 10);
    });
  }

  /** A Chinese name: a common surname (kept by the mask) and a rare two-character given name. */
  personName(): string {
    return `${SURNAMES[this.int(SURNAMES.length)]}${this.rarePair()}`;
  }

  /** An address in a district, with a rare street name and number (beyond what may be kept). */
  address(): string {
    return `福建省福州市鼓楼区${this.rarePair()}路${1 + this.int(300)}号`;
  }

  /** A health status (a categorical personal item) that exists nowhere else. */
  health(): string {
    return `${this.rarePair()}症`;
  }

  /** Every canary whose secret occurs in `text`, with the secret that matched. */
  find(text: string): Array<{ canary: Canary; secret: string }> {
    const hits: Array<{ canary: Canary; secret: string }> = [];
    for (const canary of this.canaries)
      for (const secret of canary.secrets) if (text.includes(secret)) hits.push({ canary, secret });
    return hits;
  }
}

/** The secrets of a cell the consumer sees masked: the parts its mask must hide. */
export const MASKED_SECRETS: Record<string, (value: string) => string[]> = {
  // 350102********1234: the birth date, and the first fourteen digits that hold it.
  sfzh: (v) => [v.slice(6, 14), v.slice(0, 14)],
  // 138****1234: any seven digits that include the hidden middle.
  sjhm: (v) => [v.slice(0, 7), v.slice(3)],
  // ***************1234: everything but the last four digits.
  yhkh: (v) => [v.slice(0, -4), v.slice(6, -4)],
  // 张** / 欧阳**: the given name.
  xm: (v) => [v.slice(v.length - 2)],
  // Kept to the district at most: the street's name (its number alone is not unique).
  zz: (v) => [v.slice('福建省福州市鼓楼区'.length).replace(/\d+号$/, '')],
  // A categorical health status hides entirely.
  jkzk: (v) => [v],
};
