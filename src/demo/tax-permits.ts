import { dateBetween, isoDate } from './dates.js';
import type { Enterprise } from './enterprises.js';
import type { Random } from './random.js';

/** A taxpayer's registration, credit rating and 2024 tax (纳税信息). */
export interface TaxRecord {
  enterprise: Enterprise;
  taxpayerType: '一般纳税人' | '小规模纳税人';
  rating: string;
  /** 2024 年度纳税总额, 万元. */
  taxPaid: number;
}

const RATINGS = ['A', 'B', 'M', 'C', 'D'];

/** Tax records of active enterprises; dormant shells pay next to nothing and rate poorly. */
export function generateTax(rng: Random, enterprises: Enterprise[], shells: Set<Enterprise>): TaxRecord[] {
  const scale = { micro: 3, small: 40, medium: 600, large: 9_000 } as const;
  return enterprises
    .filter((e) => e.status === 'active')
    .map((e) => {
      const shell = shells.has(e);
      const general = e.size !== 'micro' || e.capital >= 500;
      return {
        enterprise: e,
        taxpayerType: general ? '一般纳税人' : '小规模纳税人',
        rating: shell ? rng.pick(['M', 'D']) : rng.weighted(RATINGS, [16, 52, 24, 6, 2]),
        taxPaid: shell
          ? Math.round(rng.next() * 30) / 100
          : Math.round(scale[e.size] * rng.spread(0.6) * 100) / 100,
      };
    });
}

/** A pollutant discharge permit (排污许可证) of an enterprise. */
export interface DischargePermit {
  permitNo: string;
  enterprise: Enterprise;
  category: '重点管理' | '简化管理' | '登记管理';
  pollutants: string;
  validFrom: string;
  validTo: string;
}

const POLLUTANTS: Record<string, string[]> = {
  C: ['化学需氧量,氨氮', '颗粒物,二氧化硫,氮氧化物', '挥发性有机物', '化学需氧量,总磷', '颗粒物'],
  A: ['化学需氧量,氨氮,总磷', '氨氮'],
};

/** Permits for manufacturers and farms of some size; registration only for the smallest. */
export function generatePermits(rng: Random, enterprises: Enterprise[]): DischargePermit[] {
  const out: DischargePermit[] = [];
  for (const e of enterprises) {
    if (!e.industry.discharges || e.status !== 'active') continue;
    if (e.size === 'micro' && !rng.chance(0.35)) continue;
    const category =
      e.size === 'large'
        ? '重点管理'
        : e.size === 'medium'
          ? rng.pick(['重点管理', '简化管理'] as const)
          : e.size === 'small'
            ? '简化管理'
            : '登记管理';
    const from = dateBetween(rng, 2020, 2025);
    const years = category === '登记管理' ? 5 : rng.pick([3, 5]);
    out.push({
      permitNo: `${e.creditCode}001${category === '登记管理' ? 'W' : 'P'}`,
      enterprise: e,
      category,
      pollutants: rng.pick(POLLUTANTS[e.industry.code]!),
      validFrom: from,
      validTo: isoDate(Number(from.slice(0, 4)) + years, Number(from.slice(5, 7)), Number(from.slice(8, 10))),
    });
  }
  return out;
}
