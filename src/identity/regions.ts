import { REGION_TABLE } from './region-table.js';

const regions = new Map<string, string>();
for (const entry of REGION_TABLE.split('|')) regions.set(entry.slice(0, 6), entry.slice(6));

/** Whether a six-digit code names a GB/T 2260 province, city or county-level division. */
export function isRegionCode(code: string): boolean {
  return regions.has(code);
}

/** The full name of a division, e.g. 110105 → 北京市 朝阳区 (municipal districts skip 市辖区). */
export function regionFullName(code: string): string | undefined {
  const own = regions.get(code);
  if (!own) return undefined;
  const province = regions.get(`${code.slice(0, 2)}0000`);
  const city = regions.get(`${code.slice(0, 4)}00`);
  const parts = [province];
  if (code.slice(2, 4) !== '00' && city && city !== '市辖区' && city !== '县') parts.push(city);
  if (code.slice(4) !== '00') parts.push(own);
  return [...new Set(parts.filter((p): p is string => Boolean(p)))].join(' ');
}

/** The codes of the divisions directly below a province (cities) or city (districts). */
export function regionChildren(code: string): Array<{ code: string; name: string }> {
  const out: Array<{ code: string; name: string }> = [];
  const isProvince = code.endsWith('0000');
  for (const [c, name] of regions) {
    if (c === code) continue;
    if (isProvince ? c.startsWith(code.slice(0, 2)) && c.endsWith('00') : c.startsWith(code.slice(0, 4))) {
      out.push({ code: c, name });
    }
  }
  return out;
}
