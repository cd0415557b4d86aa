// A facet bucket (api/catalog's Bucket), written out so that node tests import this file alone.
interface Bucket {
  value: string;
  label: string;
  count: number;
}

// Beijing, Tianjin, Shanghai and Chongqing: their second level is districts, not cities.
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

/** The city-level code (GB/T 2260) of a division: the province itself for a municipality or a province-level body. */
export function cityCode(code: string): string {
  if (MUNICIPALITIES.has(code.slice(0, 2)) || code.slice(2, 4) === '00') return `${code.slice(0, 2)}0000`;
  return `${code.slice(0, 4)}00`;
}

/**
 * Region facet buckets (providers' division codes, labelled "省 市 区县") summed by city, so that a
 * province's portal shows its cities rather than one bar per province. A province-level provider
 * counts under 省级 (`provincial`). When every code is in one province its name is left out.
 */
export function regionsByCity(
  buckets: Bucket[] | undefined,
  provincial: string,
): { name: string; value: number; code: string }[] {
  const list = buckets ?? [];
  const oneProvince = new Set(list.map((b) => b.value.slice(0, 2))).size === 1;
  const sums = new Map<string, { name: string; value: number; code: string }>();
  for (const b of list) {
    const code = cityCode(b.value);
    const parts = (b.label || b.value).split(' ');
    const province = parts[0] ?? code;
    const isProvince = code.endsWith('0000');
    const city = isProvince
      ? MUNICIPALITIES.has(code.slice(0, 2))
        ? province
        : `${province}${provincial}`
      : (parts[1] ?? code);
    const name = oneProvince && !isProvince ? city : isProvince ? city : `${province} ${city}`;
    const sum = sums.get(code) ?? { name, value: 0, code };
    sum.value += b.count;
    sums.set(code, sum);
  }
  return [...sums.values()];
}
