// GB/T 2260 provincial-level divisions: the first two digits of a region code.

/** Province-level code (two digits) → short name, as in GB/T 2260. */
export const PROVINCES: ReadonlyMap<number, string> = new Map([
  [11, '北京'],
  [12, '天津'],
  [13, '河北'],
  [14, '山西'],
  [15, '内蒙古'],
  [21, '辽宁'],
  [22, '吉林'],
  [23, '黑龙江'],
  [31, '上海'],
  [32, '江苏'],
  [33, '浙江'],
  [34, '安徽'],
  [35, '福建'],
  [36, '江西'],
  [37, '山东'],
  [41, '河南'],
  [42, '湖北'],
  [43, '湖南'],
  [44, '广东'],
  [45, '广西'],
  [46, '海南'],
  [50, '重庆'],
  [51, '四川'],
  [52, '贵州'],
  [53, '云南'],
  [54, '西藏'],
  [61, '陕西'],
  [62, '甘肃'],
  [63, '青海'],
  [64, '宁夏'],
  [65, '新疆'],
  [71, '台湾'],
  [81, '香港'],
  [82, '澳门'],
]);

/** Full names of the provincial-level divisions as written in addresses. */
export const PROVINCE_FULL_NAMES: readonly string[] = [
  '北京市',
  '天津市',
  '上海市',
  '重庆市',
  '内蒙古自治区',
  '广西壮族自治区',
  '西藏自治区',
  '宁夏回族自治区',
  '新疆维吾尔自治区',
  '香港特别行政区',
  '澳门特别行政区',
  ...[...PROVINCES.values()]
    .filter(
      (n) =>
        !['北京', '天津', '上海', '重庆', '内蒙古', '广西', '西藏', '宁夏', '新疆', '香港', '澳门'].includes(
          n,
        ),
    )
    .map((n) => `${n}省`),
];

/** Whether the first two digits of a six-digit region code name a real province (11–82). */
export function isProvinceCode(code: string): boolean {
  const p = (code.charCodeAt(0) - 48) * 10 + (code.charCodeAt(1) - 48);
  return PROVINCES.has(p);
}
