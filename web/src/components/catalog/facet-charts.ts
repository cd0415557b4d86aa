import type { Bucket } from '../../api/catalog.js';
import type { ChartOption } from '../echart.js';

/** A horizontal bar chart of buckets, largest first (names are long: departments, provinces). */
export function barOption(buckets: { name: string; value: number }[], color = '#1456c8'): ChartOption {
  const sorted = [...buckets].sort((a, b) => a.value - b.value);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: sorted.map((b) => b.name),
      axisLabel: { width: 140, overflow: 'truncate' },
    },
    series: [{ type: 'bar', data: sorted.map((b) => b.value), itemStyle: { color }, barMaxWidth: 22 }],
  };
}

/**
 * A ring chart of buckets. Labels sit outside with the full name, wrapped rather than cut
 * (ECharts truncates a pie's outside labels to the space left by default: 无…, 重要…), and the
 * legend names every slice with its count.
 */
export function pieOption(buckets: { name: string; value: number }[]): ChartOption {
  const counts = new Map(buckets.map((b) => [b.name, b.value]));
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, type: 'scroll', formatter: (name: string) => `${name} ${counts.get(name) ?? ''}` },
    series: [
      {
        type: 'pie',
        radius: ['32%', '55%'],
        center: ['50%', '44%'],
        avoidLabelOverlap: true,
        data: buckets,
        label: { position: 'outside', formatter: '{b}\n{c}', overflow: 'break', edgeDistance: 8 },
        labelLine: { length: 8, length2: 8 },
        labelLayout: { hideOverlap: true },
      },
    ],
  };
}

/** Buckets as chart points, labelled by `label`. */
export function points(
  buckets: Bucket[] | undefined,
  label: (b: Bucket) => string,
): { name: string; value: number }[] {
  return (buckets ?? []).map((b) => ({ name: label(b), value: b.count }));
}
