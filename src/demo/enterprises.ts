import { dateBetween, isoDate } from './dates.js';
import { creditCode, landline } from './identifiers.js';
import { INDUSTRIES, type Industry, SIZE_RANGES, SIZE_WEIGHTS, SIZES, type Size } from './industries.js';
import type { Person } from './people.js';
import { businessAddress, type District, district } from './places.js';
import type { Random } from './random.js';

/** 登记状态: 存续 (active), 吊销 (licence revoked), 注销 (deregistered). */
export type EnterpriseStatus = 'active' | 'revoked' | 'cancelled';
/** Chinese labels of the statuses, as the register prints them. */
export const STATUS_LABELS: Record<EnterpriseStatus, string> = {
  active: '存续',
  revoked: '吊销',
  cancelled: '注销',
};

/** A market entity in the registration system (市场主体登记). */
export interface Enterprise {
  creditCode: string;
  name: string;
  type: string;
  industry: Industry;
  size: Size;
  employees: number;
  /** 注册资本, 万元. */
  capital: number;
  status: EnterpriseStatus;
  registrationDate: string;
  /** When it was revoked or deregistered. */
  endDate: string | null;
  legalRep: Person;
  district: District;
  address: string;
  phone: string;
  authority: string;
}

const STEMS =
  '鑫源 恒达 华信 博远 泰和 永盛 嘉禾 宏图 海纳 闽兴 榕信 鹭通 融达 盛世 金鼎 德润 天成 万隆 汇丰 安泰 昌盛 瑞祥 中联 凯旋 腾飞 新源 益丰 通达 兴业 福海 利达 佳美 众诚 信和 宏发 正茂 创联 海丝 闽龙 八闽 武夷 清源 星辰 锦程 远航 九鼎 百川 东南 海峡 立德'.split(
    ' ',
  );
const TYPES = [
  '有限责任公司(自然人投资或控股)',
  '有限责任公司(自然人独资)',
  '股份有限公司(非上市、自然人投资或控股)',
  '有限责任公司(外商投资、非独资)',
  '个人独资企业',
];
const TYPE_WEIGHTS = [62, 20, 6, 4, 8];

function registrationYear(rng: Random): number {
  // New registrations have grown every year; older entities are rarer.
  return Math.max(1993, 2025 - Math.floor(-Math.log(1 - rng.next()) * 7));
}

/** Generates `count` enterprises with legal representatives drawn from `adults`. */
export function generateEnterprises(rng: Random, count: number, adults: Person[]): Enterprise[] {
  const names = new Set<string>();
  const out: Enterprise[] = [];
  for (let i = 0; i < count; i++) {
    const industry = rng.weighted(
      INDUSTRIES,
      INDUSTRIES.map((x) => x.weight),
    );
    const size = rng.weighted(SIZES, SIZE_WEIGHTS);
    const d = district(rng);
    const city = d.cityName.replace(/市$/, '');
    let name = '';
    do {
      const stem = rng.pick(STEMS);
      const place = rng.chance(0.7) ? city : d.name.replace(/[区县市]$/, '');
      const suffix = rng.pick(industry.suffixes);
      const form = size === 'large' && rng.chance(0.5) ? '集团有限公司' : '有限公司';
      name = `${place}${stem}${suffix}${form}`;
    } while (names.has(name));
    names.add(name);
    const year = registrationYear(rng);
    const registrationDate =
      year === 2025 ? isoDate(2025, rng.int(1, 11), rng.int(1, 28)) : dateBetween(rng, year, year);
    const status: EnterpriseStatus = rng.weighted(
      ['active', 'revoked', 'cancelled'],
      year < 2015 ? [78, 8, 14] : [90, 3, 7],
    );
    const endYear = Math.max(year + 1, rng.int(Math.max(year + 1, 2012), 2025));
    const endDate =
      status === 'active' ? null : isoDate(Math.min(endYear, 2025), rng.int(1, 12), rng.int(1, 28));
    const ranges = SIZE_RANGES[size];
    const capital = Math.round(ranges.capital[0] * (ranges.capital[1] / ranges.capital[0]) ** rng.next());
    const legalRep = pickLegalRep(rng, adults);
    out.push({
      creditCode: creditCode(rng, '91', d.code),
      name,
      type: rng.weighted(TYPES, TYPE_WEIGHTS),
      industry,
      size,
      employees: rng.int(...ranges.staff),
      capital: size === 'micro' ? Math.round(capital / 10) * 10 : capital,
      status,
      registrationDate,
      endDate: endDate && endDate < registrationDate ? registrationDate : endDate,
      legalRep,
      district: d,
      address: businessAddress(rng, d),
      phone: landline(rng, d.cityCode),
      authority: `${d.cityName}${d.name}市场监督管理局`,
    });
  }
  return out;
}

function pickLegalRep(rng: Random, adults: Person[]): Person {
  for (;;) {
    const p = rng.pick(adults);
    if (p.age >= 22 && p.age <= 72) return p;
  }
}
