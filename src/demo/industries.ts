/** An industry (GB/T 4754 门类) and how much electricity its enterprises use. */
export interface Industry {
  code: string;
  name: string;
  /** Typical monthly kWh for a micro, small, medium and large enterprise. */
  kwh: [number, number, number, number];
  /** How strongly summer air-conditioning lifts its use (0 = not at all). */
  cooling: number;
  /** Share of the province's enterprises in this industry. */
  weight: number;
  /** Name endings that fit the industry. */
  suffixes: string[];
  /** Whether its plants usually hold a pollutant discharge permit (排污许可). */
  discharges: boolean;
}

/** The industries of the demo's enterprises, with usage calibrated to published averages. */
export const INDUSTRIES: Industry[] = [
  {
    code: 'C',
    name: '制造业',
    kwh: [4_000, 35_000, 320_000, 3_000_000],
    cooling: 0.15,
    weight: 22,
    suffixes: [
      '鞋业',
      '纺织',
      '机械制造',
      '电子科技',
      '食品',
      '服装',
      '陶瓷',
      '新材料',
      '汽车配件',
      '包装印刷',
    ],
    discharges: true,
  },
  {
    code: 'F',
    name: '批发和零售业',
    kwh: [1_500, 8_000, 45_000, 220_000],
    cooling: 0.5,
    weight: 26,
    suffixes: ['贸易', '商贸', '百货', '茶业', '进出口', '医药连锁'],
    discharges: false,
  },
  {
    code: 'I',
    name: '信息传输、软件和信息技术服务业',
    kwh: [1_000, 9_000, 70_000, 600_000],
    cooling: 0.45,
    weight: 9,
    suffixes: ['网络科技', '信息技术', '软件', '数据服务', '智能科技'],
    discharges: false,
  },
  {
    code: 'L',
    name: '租赁和商务服务业',
    kwh: [700, 3_500, 18_000, 80_000],
    cooling: 0.5,
    weight: 11,
    suffixes: ['企业管理咨询', '商务服务', '文化传媒', '人力资源', '投资管理'],
    discharges: false,
  },
  {
    code: 'E',
    name: '建筑业',
    kwh: [2_000, 11_000, 55_000, 220_000],
    cooling: 0.2,
    weight: 7,
    suffixes: ['建设工程', '建筑工程', '装饰工程', '市政工程'],
    discharges: false,
  },
  {
    code: 'G',
    name: '交通运输、仓储和邮政业',
    kwh: [3_000, 22_000, 110_000, 450_000],
    cooling: 0.3,
    weight: 6,
    suffixes: ['物流', '供应链', '冷链仓储', '运输', '港务'],
    discharges: false,
  },
  {
    code: 'H',
    name: '住宿和餐饮业',
    kwh: [3_500, 16_000, 65_000, 260_000],
    cooling: 0.6,
    weight: 8,
    suffixes: ['餐饮管理', '酒店管理', '食品店', '茶餐厅'],
    discharges: false,
  },
  {
    code: 'A',
    name: '农、林、牧、渔业',
    kwh: [1_200, 7_000, 32_000, 130_000],
    cooling: 0.25,
    weight: 5,
    suffixes: ['农业开发', '茶叶种植', '水产养殖', '林业', '生态农业'],
    discharges: true,
  },
  {
    code: 'K',
    name: '房地产业',
    kwh: [1_000, 6_500, 42_000, 160_000],
    cooling: 0.5,
    weight: 4,
    suffixes: ['房地产开发', '物业管理', '置业'],
    discharges: false,
  },
  {
    code: 'M',
    name: '科学研究和技术服务业',
    kwh: [900, 5_500, 32_000, 160_000],
    cooling: 0.4,
    weight: 2,
    suffixes: ['检测技术', '工程设计', '生物科技'],
    discharges: false,
  },
];

/** Enterprise sizes (大型/中型/小型/微型, 统计上大中小微型企业划分办法). */
export const SIZES = ['micro', 'small', 'medium', 'large'] as const;
export type Size = (typeof SIZES)[number];
/** Chinese labels of the sizes. */
export const SIZE_LABELS: Record<Size, string> = {
  micro: '微型',
  small: '小型',
  medium: '中型',
  large: '大型',
};
/** How often each size occurs among registered enterprises. */
export const SIZE_WEIGHTS = [72, 21, 5.5, 1.5];
/** Employees and registered capital (万元) ranges per size. */
export const SIZE_RANGES: Record<Size, { staff: [number, number]; capital: [number, number] }> = {
  micro: { staff: [1, 9], capital: [10, 500] },
  small: { staff: [10, 99], capital: [100, 3_000] },
  medium: { staff: [100, 999], capital: [1_000, 30_000] },
  large: { staff: [1_000, 12_000], capital: [10_000, 500_000] },
};

// 福建: a February dip (春节) and a July–August peak (air-conditioning); index 0 is January.
const SEASON = [0.96, 0.74, 0.98, 0.99, 1.02, 1.08, 1.2, 1.22, 1.08, 1.0, 0.95, 0.98];

/** The month's use relative to the year's average, for an industry. */
export function seasonalFactor(industry: Industry, monthIndex: number): number {
  const base = SEASON[monthIndex]!;
  // The February dip hits everyone; the summer peak only those that cool their premises.
  if (monthIndex === 1) return base;
  return 1 + (base - 1) * (0.3 + industry.cooling);
}
