import china from 'virtual:echarts-map/china';
import fujian from 'virtual:echarts-map/fujian';
import { MapChart } from 'echarts/charts';
import { TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useMemo } from 'react';
import { EChart } from './echart.js';
import { regionMapOption } from './region-map-option.js';

// Its own chunk (loaded lazily by the dashboard and the SQL workbench): the maps weigh ~100 kB.
echarts.use([MapChart, VisualMapComponent, TooltipComponent, CanvasRenderer]);
echarts.registerMap('china', china as never);
echarts.registerMap('fujian', fujian as never);

const NAMES = {
  china: new Map(china.features.map((f) => [f.id.slice(0, 2), f.properties.name])),
  fujian: new Map(fujian.features.map((f) => [f.id.slice(0, 4), f.properties.name])),
};

export interface RegionValue {
  code: string;
  value: number;
}

/** Which map suits a set of region codes: Fujian by city when every code is in Fujian and below it. */
export function mapFor(codes: string[]): 'china' | 'fujian' {
  return codes.length > 0 && codes.every((c) => c.startsWith('35')) && codes.some((c) => !c.endsWith('0000'))
    ? 'fujian'
    : 'china';
}

/** Sums values by province (china) or city (fujian) and names them as the map's features do. */
export function byRegion(values: RegionValue[], map: 'china' | 'fujian') {
  const width = map === 'china' ? 2 : 4;
  const sums = new Map<string, number>();
  for (const v of values) {
    const key = v.code.slice(0, width);
    sums.set(key, (sums.get(key) ?? 0) + v.value);
  }
  return [...sums].map(([key, value]) => ({ name: NAMES[map].get(key) ?? key, value }));
}

/** A choropleth of values by GB/T 2260 region code, on the bundled China or Fujian map. */
export default function RegionMap({
  values,
  label,
  height = 360,
  dark = false,
  map,
}: {
  values: RegionValue[];
  label: string;
  height?: number;
  dark?: boolean;
  map?: 'china' | 'fujian';
}) {
  const which = map ?? mapFor(values.map((v) => v.code));
  const option = useMemo(
    () => regionMapOption({ data: byRegion(values, which), map: which, label, dark }),
    [values, which, label, dark],
  );
  return <EChart option={option} label={label} height={height} dark={dark} />;
}
