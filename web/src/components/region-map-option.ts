/** One region's value on the map, named as the map's features are. */
export interface NamedValue {
  name: string;
  value: number;
}

/**
 * The ECharts option of a choropleth (a pure function, so that a test can render it in Node with
 * ECharts' server-side SVG renderer and check that no two city names overlap).
 */
export function regionMapOption(input: {
  data: NamedValue[];
  map: 'china' | 'fujian';
  label: string;
  dark?: boolean;
}) {
  const { data, map, label, dark = false } = input;
  const max = Math.max(1, ...data.map((d) => d.value));
  return {
    tooltip: { trigger: 'item' },
    visualMap: {
      min: 0,
      max,
      left: 8,
      bottom: 8,
      calculable: true,
      textStyle: { color: dark ? '#e6f4ff' : '#333' },
      inRange: { color: dark ? ['#123a6b', '#36cfc9', '#ffd666'] : ['#e6f4ff', '#1677ff', '#002c8c'] },
    },
    series: [
      {
        type: 'map',
        map,
        roam: true,
        name: label,
        label: { show: map === 'fujian', color: '#222', textBorderColor: '#fff', textBorderWidth: 2 },
        // Neighbouring cities' names collide on a small map: the overlapping ones are hidden.
        labelLayout: { hideOverlap: true },
        itemStyle: { areaColor: dark ? '#0d2a4d' : '#f5f5f5', borderColor: dark ? '#3a6ea5' : '#999' },
        data,
      },
    ],
  };
}
