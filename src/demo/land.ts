import { dateBetween } from './dates.js';
import type { Enterprise } from './enterprises.js';
import { type District, district, roadName } from './places.js';
import type { Random } from './random.js';

/** A parcel of state-owned construction land supplied by the land authority (国有建设用地供应). */
export interface LandParcel {
  parcelNo: string;
  district: District;
  location: string;
  use: string;
  area: number;
  method: string;
  /** 成交价, 万元. */
  price: number;
  contractDate: string;
  holder: string;
}

const USES = ['工业用地', '住宅用地', '商服用地', '公共管理与公共服务用地', '仓储用地'];
const USE_WEIGHTS = [38, 25, 15, 12, 10];
// 万元/m² for residential land; others scale from it. 厦门 and 福州 are dearest.
const PRICE: Record<string, number> = {
  '350100': 1.6,
  '350200': 2.8,
  '350300': 0.7,
  '350400': 0.35,
  '350500': 0.9,
  '350600': 0.6,
  '350700': 0.3,
  '350800': 0.35,
  '350900': 0.5,
};

/** Generates land supply records; buyers are active enterprises. */
export function generateLand(rng: Random, count: number, enterprises: Enterprise[]): LandParcel[] {
  const buyers = enterprises.filter((e) => e.status === 'active' && e.size !== 'micro');
  return Array.from({ length: count }, (_, i) => {
    const d = district(rng);
    const use = rng.weighted(USES, USE_WEIGHTS);
    const area = Math.round(2_000 + 80_000 * rng.next() ** 2);
    const factor = { 工业用地: 0.05, 住宅用地: 1, 商服用地: 0.6, 公共管理与公共服务用地: 0, 仓储用地: 0.06 }[
      use
    ]!;
    const allocated = factor === 0;
    return {
      parcelNo: `${d.code}-${dateBetween(rng, 2024, 2025).slice(0, 4)}-${String(i + 1).padStart(4, '0')}`,
      district: d,
      location: `${d.name}${roadName(rng)}${rng.pick(['东侧', '西侧', '南侧', '北侧', `与${roadName(rng)}交叉口`])}`,
      use,
      area,
      method: allocated
        ? '划拨'
        : rng.weighted(['挂牌出让', '拍卖出让', '招标出让', '协议出让'], [70, 15, 8, 7]),
      price: allocated ? 0 : Math.round(area * PRICE[d.cityCode]! * factor * rng.spread(0.25)),
      contractDate: dateBetween(rng, 2024, 2025),
      holder: allocated ? `${d.cityName}${d.name}人民政府` : rng.pick(buyers).name,
    };
  });
}
