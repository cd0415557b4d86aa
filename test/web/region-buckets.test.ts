import { describe, expect, it } from 'vitest';
import { cityCode, regionsByCity } from '../../web/src/components/catalog/region-buckets.js';

describe('region facet by city', () => {
  it('sums Fujian’s providers by city, a province-level body under 省级, without repeating the province', () => {
    const buckets = [
      { value: '350000', label: '福建省', count: 5 },
      { value: '350100', label: '福建省 福州市', count: 3 },
      { value: '350102', label: '福建省 福州市 鼓楼区', count: 2 },
      { value: '350200', label: '福建省 厦门市', count: 4 },
    ];
    expect(regionsByCity(buckets, '（省级）')).toEqual([
      { code: '350000', name: '福建省（省级）', value: 5 },
      { code: '350100', name: '福州市', value: 5 },
      { code: '350200', name: '厦门市', value: 4 },
    ]);
  });

  it('names the province beside the city across provinces; a municipality is one', () => {
    const buckets = [
      { value: '350100', label: '福建省 福州市', count: 1 },
      { value: '110101', label: '北京市 东城区', count: 2 },
      { value: '110000', label: '北京市', count: 1 },
    ];
    expect(regionsByCity(buckets, '（省级）')).toEqual([
      { code: '350100', name: '福建省 福州市', value: 1 },
      { code: '110000', name: '北京市', value: 3 },
    ]);
    expect(cityCode('350583')).toBe('350500');
  });
});
