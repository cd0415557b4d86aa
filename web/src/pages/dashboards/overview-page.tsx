import { FullscreenExitOutlined, FullscreenOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Segmented } from 'antd';
import { lazy, type ReactNode, Suspense, useEffect, useRef, useState } from 'react';
import type { Bucket } from '../../api/catalog.js';
import { catalogApi } from '../../api/catalog.js';
import { barOption, pieOption, points } from '../../components/catalog/facet-charts.js';
import { useCatalogFacets } from '../../components/catalog/use-catalog-facets.js';
import { bucketLabel } from '../../components/catalog/vocab.js';
import { EChart } from '../../components/echart.js';
import { ErrorAlert } from '../../components/error-result.js';
import { useI18n } from '../../i18n/index.js';
import { ApprovalPanel } from './approval-panel.js';

const RegionMap = lazy(() => import('../../components/region-map.js'));

const count = (buckets: Bucket[] | undefined, values: string[]) =>
  (buckets ?? []).filter((b) => values.includes(b.value)).reduce((n, b) => n + b.count, 0);

function Panel({ title, wide, children }: { title: string; wide?: boolean; children: ReactNode }) {
  return (
    <section className={`ht-screen-panel${wide ? ' ht-screen-wide' : ''}`}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** 数据大屏: the shared catalog at a glance for officials, with a full-screen mode for the big screen. */
export default function OverviewPage() {
  const { t } = useI18n();
  const facets = useCatalogFacets();
  const stats = useQuery({ queryKey: ['catalog-stats'], queryFn: catalogApi.stats });
  const [map, setMap] = useState<'china' | 'fujian'>('china');
  const screen = useRef<HTMLDivElement>(null);
  const [full, setFull] = useState(false);
  useEffect(() => {
    const sync = () => setFull(document.fullscreenElement === screen.current);
    document.addEventListener('fullscreenchange', sync);
    return () => document.removeEventListener('fullscreenchange', sync);
  }, []);
  const toggle = () =>
    (full ? document.exitFullscreen() : screen.current?.requestFullscreen())?.catch(() => undefined);
  const f = facets.data?.facets ?? {};
  const vocab = (key: 'sharingType' | 'openType' | 'grade') => points(f[key], (b) => bucketLabel(t, key, b));
  const months = stats.data?.byMonth ?? [];
  const line = {
    tooltip: { trigger: 'axis' },
    grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: months.map((m) => m.label || m.key) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'line', smooth: true, areaStyle: { opacity: 0.2 }, data: months.map((m) => m.count) }],
  };

  return (
    <div ref={screen} className="ht-screen" data-testid="dashboard">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <span />
        <h1 className="ht-screen-title">{t('dash.title')}</h1>
        <Button ghost icon={full ? <FullscreenExitOutlined /> : <FullscreenOutlined />} onClick={toggle}>
          {full ? t('dash.exitFullscreen') : t('dash.fullscreen')}
        </Button>
      </div>
      {facets.error && <ErrorAlert error={facets.error} onRetry={() => facets.refetch()} />}
      <div className="ht-screen-kpis">
        {[
          ['dash.resources', facets.data?.count ?? 0],
          ['dash.providers', f.provider?.length ?? 0],
          ['dash.shareable', count(f.sharingType, ['unconditional', 'conditional'])],
          ['dash.open', count(f.openType, ['unconditional', 'conditional'])],
        ].map(([key, value]) => (
          <div key={key} className="ht-screen-kpi">
            <span>{t(key as 'dash.resources')}</span>
            <strong>{Number(value).toLocaleString()}</strong>
          </div>
        ))}
      </div>
      <div className="ht-screen-grid">
        <Panel title={t(map === 'china' ? 'dash.map' : 'dash.mapFujian')} wide>
          <Segmented
            size="small"
            value={map}
            onChange={(v) => setMap(v as 'china' | 'fujian')}
            aria-label={t('dash.mapLevel')}
            options={[
              { value: 'china', label: t('dash.mapChina') },
              { value: 'fujian', label: t('dash.mapFujianShort') },
            ]}
          />
          <Suspense fallback={<div style={{ height: 330 }} />}>
            <RegionMap
              dark
              map={map}
              height={330}
              label={t('dash.map')}
              values={(f.region ?? []).map((b) => ({ code: b.value, value: b.count }))}
            />
          </Suspense>
        </Panel>
        <Panel title={t('dash.byDepartment')}>
          <EChart
            dark
            label={t('dash.byDepartment')}
            height={330}
            option={barOption(points(f.provider, (b) => b.label).slice(0, 10), '#ffc53d')}
          />
        </Panel>
        <Panel title={t('dash.sharing')}>
          <EChart dark label={t('dash.sharing')} option={pieOption(vocab('sharingType'))} height={260} />
        </Panel>
        <Panel title={t('dash.openTypes')}>
          <EChart dark label={t('dash.openTypes')} option={pieOption(vocab('openType'))} height={260} />
        </Panel>
        <Panel title={t('dash.grades')}>
          <EChart dark label={t('dash.grades')} option={pieOption(vocab('grade'))} height={260} />
        </Panel>
        <Panel title={t('dash.byMonth')}>
          <EChart dark label={t('dash.byMonth')} option={line} height={260} />
        </Panel>
        <Panel title={t('dash.cycles')}>
          <EChart
            dark
            label={t('dash.cycles')}
            height={260}
            option={pieOption(
              (stats.data?.byUpdateCycle ?? []).map((b) => ({ name: b.label || b.key, value: b.count })),
            )}
          />
        </Panel>
        <Panel title={t('dash.approval')}>
          <ApprovalPanel />
        </Panel>
      </div>
    </div>
  );
}
