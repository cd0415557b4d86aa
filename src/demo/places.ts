import { regionChildren } from '../identity/index.js';
import type { Random } from './random.js';

/** The demo province: 福建省, GB/T 2260 code 350000. */
export const PROVINCE = { code: '350000', name: '福建省' } as const;

/** A county-level division with its city. */
export interface District {
  code: string;
  name: string;
  cityCode: string;
  cityName: string;
}

// Rough shares of the resident population per city (第七次全国人口普查, 万人).
const CITY_WEIGHT: Record<string, number> = {
  '350100': 829,
  '350200': 516,
  '350300': 321,
  '350400': 249,
  '350500': 878,
  '350600': 505,
  '350700': 268,
  '350800': 272,
  '350900': 315,
};

// 金门县 is listed under 泉州市 by GB/T 2260 but not administered by the province.
const NOT_ADMINISTERED = new Set(['350527']);

/** The province's cities, from the bundled GB/T 2260 table. */
export const CITIES = regionChildren(PROVINCE.code).filter((c) => CITY_WEIGHT[c.code]);

/** Every county-level division of the province, from the bundled table. */
export const DISTRICTS: District[] = CITIES.flatMap((city) =>
  regionChildren(city.code)
    .filter((d) => !NOT_ADMINISTERED.has(d.code))
    .map((d) => ({ code: d.code, name: d.name, cityCode: city.code, cityName: city.name })),
);

// Urban districts hold more people than counties; a district of the capital more than one of 南平.
const DISTRICT_WEIGHTS = DISTRICTS.map((d) => {
  const city = CITY_WEIGHT[d.cityCode]! / regionChildren(d.cityCode).length;
  return city * (d.name.endsWith('区') ? 1.6 : d.name.endsWith('市') ? 1.3 : 0.8);
});

/** A district drawn in proportion to its population. */
export function district(rng: Random): District {
  return rng.weighted(DISTRICTS, DISTRICT_WEIGHTS);
}

/** The district with this code. */
export function districtByCode(code: string): District {
  const found = DISTRICTS.find((d) => d.code === code);
  if (!found) throw new Error(`${code} is not a district of ${PROVINCE.name}`);
  return found;
}

const ROAD_STEMS = [
  '五一',
  '八一七',
  '东街',
  '湖东',
  '华林',
  '温泉',
  '六一',
  '工业',
  '金山',
  '福新',
  '湖滨',
  '中山',
  '嘉禾',
  '厦禾',
  '莲前',
  '环岛',
  '湖里',
  '鹭江',
  '丰泽',
  '刺桐',
  '泉秀',
  '宝洲',
  '田安',
  '笋江',
  '胜利',
  '解放',
  '人民',
  '建设',
  '新华',
  '文化',
  '学府',
  '滨江',
  '江滨',
  '沿海',
  '迎宾',
  '龙腾',
  '和平',
  '南门',
  '北环',
  '西环',
  '东环',
  '振兴',
  '安平',
  '海峡',
  '闽江',
  '九龙江',
  '晋江',
  '木兰',
];
const ROAD_KINDS = ['路', '路', '路', '大道', '街', '南路', '北路', '东路', '西路', '中路'];
const ESTATES = ['花园', '小区', '新村', '公寓', '家园', '苑', '佳园', '雅居'];
const ESTATE_STEMS = [
  '金辉',
  '融侨',
  '阳光',
  '世茂',
  '万科',
  '建发',
  '碧桂园',
  '海西',
  '榕城',
  '鹭岛',
  '温泉',
  '锦绣',
];

/** A road of a district: a plausible name, stable for the district and number. */
export function roadName(rng: Random): string {
  return rng.pick(ROAD_STEMS) + rng.pick(ROAD_KINDS);
}

/** A residential address: city, district, road, number, building, flat. */
export function homeAddress(rng: Random, d: District): string {
  const estate = rng.chance(0.6) ? `${rng.pick(ESTATE_STEMS)}${rng.pick(ESTATES)}` : '';
  const building = estate
    ? `${rng.int(1, 32)}号楼${rng.int(1, 33)}0${rng.int(1, 6)}室`
    : `${rng.int(1, 6)}0${rng.int(1, 4)}室`;
  return `${PROVINCE.name}${d.cityName}${d.name}${roadName(rng)}${rng.int(1, 399)}号${estate}${building}`;
}

/** A business address: road, number and, often, a floor or unit. */
export function businessAddress(rng: Random, d: District): string {
  const unit = rng.chance(0.5) ? `${rng.int(1, 28)}层` : rng.chance(0.5) ? `${rng.int(1, 12)}号厂房` : '';
  return `${PROVINCE.name}${d.cityName}${d.name}${roadName(rng)}${rng.int(1, 999)}号${unit}`;
}
