import { FullscreenExitOutlined, FullscreenOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { Bucket } from '../../api/catalog.js';
import { barOption, pieOption, points } from '../../components/catalog/facet-charts.js';
import { useCatalogFacets } from '../../components/catalog/use-catalog-facets.js';
import { bucketLabel } from '../../components/catalog/vocab.js';
import { EChart } from '../../components/echart.js';
import { ErrorAlert } from '../../components/error-result.js';
import { provinceName } from '../../components/provinces.js';
import { useI18n } from '../../i18n/index.js';

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
  const { t, lang } = useI18n();
  const facets = useCatalogFacets();
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
  const pending = (api: string) => <p className="ht-screen-pending">{t('dash.pendingApi', { api })}</p>;

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
        <Panel title={t('dash.map')} wide>
          <p className="ht-screen-note">{t('dash.mapFallback')}</p>
          <EChart
            dark
            label={t('dash.map')}
            height={300}
            option={barOption(
              points(f.region, (b) => provinceName(b.value, lang) ?? b.label),
              '#36cfc9',
            )}
          />
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
        <Panel title={t('dash.requests')}>{pending('GET /api/v1/catalog/stats')}</Panel>
        <Panel title={t('dash.top')}>{pending('GET /api/v1/catalog/stats')}</Panel>
        <Panel title={t('dash.approval')}>{pending('GET /api/v1/access-requests/stats')}</Panel>
      </div>
    </div>
  );
}
