import { addYears, isoDate } from './dates.js';
import type { Enterprise } from './enterprises.js';
import type { Size } from './industries.js';
import type { Person } from './people.js';
import type { Random } from './random.js';

/** One person's pension insurance record (社会保险参保信息). */
export interface InsuranceRecord {
  person: Person;
  scheme: string;
  status: string;
  employer: Enterprise | null;
  /** 缴费基数, 元/月; 0 for residents' insurance and pensioners. */
  base: number;
  startDate: string;
}

/** The contribution base limits of 2025 (元/月), as the province publishes them. */
export const BASE_FLOOR = 4_258;
export const BASE_CEILING = 23_658;

const BASE_BY_SIZE: Record<Size, [number, number]> = {
  micro: [BASE_FLOOR, 6_500],
  small: [BASE_FLOOR, 9_000],
  medium: [5_000, 13_000],
  large: [6_500, 19_000],
};

/** A contribution base for an employee of an enterprise of this size. */
export function contributionBase(rng: Random, size: Size): number {
  const [lo, hi] = BASE_BY_SIZE[size];
  return Math.round((lo + (hi - lo) * rng.next() ** 1.6) / 10) * 10;
}

/** The band of a base as 核对 receives it (缴费基数区间): enough to judge income, not the figure. */
export function contributionBand(base: number): string {
  if (base === 0) return '不缴费';
  if (base < 6_000) return '6000以下';
  if (base < 10_000) return '6000-9999';
  return '10000及以上';
}

function retired(p: Person): boolean {
  return p.age >= (p.sex === 'male' ? 60 : 55);
}

/** Pension insurance for every resident of 16 or more: employees, the self-employed, residents, pensioners. */
export function generateInsurance(rng: Random, people: Person[], employers: Enterprise[]): InsuranceRecord[] {
  let running = 0;
  const totals = employers.map((e) => (running += e.employees));
  const out: InsuranceRecord[] = [];
  for (const person of people) {
    if (person.age < 16) continue;
    const started = (years: number) => {
      const start = addYears(person.birthDate, years);
      return start > '2025-12-31' ? isoDate(2025, 1, 1) : start;
    };
    if (person.education.endsWith('在读') || (person.age < 22 && rng.chance(0.6))) continue;
    if (retired(person)) {
      const employee = rng.chance(0.55);
      out.push({
        person,
        scheme: employee ? '企业职工基本养老保险' : '城乡居民基本养老保险',
        status: '领取待遇',
        employer: null,
        base: 0,
        startDate: started(employee ? rng.int(20, 30) : rng.int(45, 55)),
      });
      continue;
    }
    const kind = rng.weighted(['employee', 'flexible', 'resident', 'civil', 'none'], [62, 9, 16, 4, 9]);
    if (kind === 'none') continue;
    if (kind === 'employee') {
      const employer = employers[rng.cumulative(totals)]!;
      out.push({
        person,
        scheme: '企业职工基本养老保险',
        status: rng.chance(0.94) ? '参保缴费' : '暂停缴费',
        employer,
        base: contributionBase(rng, employer.size),
        startDate: started(rng.int(19, Math.max(19, Math.min(person.age, 30)))),
      });
    } else {
      out.push({
        person,
        scheme:
          kind === 'flexible'
            ? '企业职工基本养老保险(灵活就业)'
            : kind === 'civil'
              ? '机关事业单位基本养老保险'
              : '城乡居民基本养老保险',
        status: '参保缴费',
        employer: null,
        base: kind === 'flexible' ? BASE_FLOOR : kind === 'civil' ? contributionBase(rng, 'medium') : 0,
        startDate: started(rng.int(20, Math.max(20, Math.min(person.age, 35)))),
      });
    }
  }
  return out;
}
