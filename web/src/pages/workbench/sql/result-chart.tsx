import { Alert, Segmented, Select, Space } from 'antd';
import { lazy, Suspense, useMemo, useState } from 'react';
import type { SqlResult } from '../../../api/catalog.js';
import { pieOption } from '../../../components/catalog/facet-charts.js';
import { EChart } from '../../../components/echart.js';
import { useI18n } from '../../../i18n/index.js';

const RegionMap = lazy(() => import('../../../components/region-map.js'));
type Kind = 'bar' | 'line' | 'pie' | 'map';

const isNumber = (v: unknown) =>
  typeof v === 'number' || (typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)));
// A GB/T 2260 code: six digits under a province-level prefix.
const PROVINCE = /^(1[1-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5]|71|8[12])\d{4}$/;
const isRegion = (v: unknown) => PROVINCE.test(String(v));
const REGION_NAME = /qh|xzqh|region|area|adcode|dm|code|区划|行政|地区/i;

/** The result drawn in one click: bar, line, pie, or a map when a column holds region codes. */
export function ResultChart({ result }: { result: SqlResult }) {
  const { t } = useI18n();
  const names = result.columns.map((c) => c.name);
  const sample = result.rows.slice(0, 200);
  const numeric = names.filter(
    (n) => sample.length > 0 && sample.every((r) => r[n] === null || isNumber(r[n])),
  );
  const codes = names.filter((n) => sample.length > 0 && sample.every((r) => isRegion(r[n])));
  // Counts can look like codes (446000 people): a column named like a code wins.
  const regionColumn = codes.find((n) => REGION_NAME.test(n)) ?? codes[0];
  const [kind, setKind] = useState<Kind>('bar');
  const [x, setX] = useState(names.find((n) => !numeric.includes(n)) ?? names[0] ?? '');
  // The value to draw: a numeric column that is not itself a region code (those are categories).
  const [y, setY] = useState(
    numeric.find((n) => n !== x && n !== regionColumn) ?? numeric.find((n) => n !== x) ?? numeric[0] ?? '',
  );
  const points = useMemo(
    () => result.rows.slice(0, 500).map((r) => ({ name: String(r[x] ?? ''), value: Number(r[y] ?? 0) })),
    [result, x, y],
  );
  const option = useMemo(() => {
    if (kind === 'pie') return pieOption(points.slice(0, 20));
    return {
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: points.map((p) => p.name),
        axisLabel: { rotate: points.length > 8 ? 30 : 0 },
      },
      yAxis: { type: 'value', name: y },
      series: [
        {
          type: kind,
          name: y,
          data: points.map((p) => p.value),
          itemStyle: { color: '#1677ff' },
          barMaxWidth: 32,
        },
      ],
    };
  }, [kind, points, y]);
  if (!y) return <Alert type="info" title={t('sql.chartNoNumbers')} showIcon />;

  return (
    <div>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented<Kind>
          value={kind}
          onChange={setKind}
          aria-label={t('sql.chartKind')}
          options={[
            { value: 'bar', label: t('sql.chart.bar') },
            { value: 'line', label: t('sql.chart.line') },
            { value: 'pie', label: t('sql.chart.pie') },
            { value: 'map', label: t('sql.chart.map'), disabled: !regionColumn },
          ]}
        />
        <label htmlFor="chart-x">{t('sql.chartX')}</label>
        <Select
          id="chart-x"
          value={x}
          onChange={setX}
          style={{ minWidth: 140 }}
          options={names.map((n) => ({ value: n, label: n }))}
        />
        <label htmlFor="chart-y">{t('sql.chartY')}</label>
        <Select
          id="chart-y"
          value={y}
          onChange={setY}
          style={{ minWidth: 140 }}
          options={numeric.map((n) => ({ value: n, label: n }))}
        />
      </Space>
      {kind === 'map' && regionColumn ? (
        <Suspense fallback={null}>
          <RegionMap
            label={t('sql.chart.map')}
            values={result.rows.map((r) => ({ code: String(r[regionColumn]), value: Number(r[y] ?? 0) }))}
          />
        </Suspense>
      ) : (
        <EChart option={option} label={t(`sql.chart.${kind}`)} height={340} />
      )}
    </div>
  );
}
