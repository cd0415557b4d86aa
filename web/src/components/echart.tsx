import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef } from 'react';
import { useI18n } from '../i18n/index.js';
import { ChartDataTable, chartSummary, chartTable } from './chart-table.js';

// Only the charts and components the UI draws: keeps the chart chunk a fraction of full ECharts.
echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * An ECharts canvas that follows its container's size. The canvas is opaque to screen readers:
 * it is named by `label` with a summary of its data (`按部门：福建省民政厅 2、…`), and the whole
 * data follows as a visually hidden table.
 */
export function EChart({
  option,
  height = 300,
  label,
  dark = false,
}: {
  option: ChartOption;
  height?: number;
  label: string;
  dark?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!ref.current) return;
    const instance = echarts.init(ref.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [dark]);

  useEffect(() => {
    chart.current?.setOption({ backgroundColor: 'transparent', ...option }, true);
  }, [option]);

  const { t } = useI18n();
  const table = useMemo(() => chartTable(option), [option]);
  const summary =
    table.rows.length > 0
      ? t('chart.summary', { label, items: chartSummary(table) })
      : t('chart.empty', { label });
  return (
    <>
      <div ref={ref} role="img" aria-label={summary} style={{ width: '100%', height }} />
      <ChartDataTable table={table} caption={`${label} · ${t('chart.data')}`} />
    </>
  );
}
