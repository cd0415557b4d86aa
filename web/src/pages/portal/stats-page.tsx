import { Card, Col, Row, Statistic } from 'antd';
import type { Bucket } from '../../api/catalog.js';
import { barOption, pieOption, points } from '../../components/catalog/facet-charts.js';
import { regionsByCity } from '../../components/catalog/region-buckets.js';
import { useCatalogFacets } from '../../components/catalog/use-catalog-facets.js';
import { bucketLabel } from '../../components/catalog/vocab.js';
import { EChart } from '../../components/echart.js';
import { ErrorAlert } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';

const sum = (buckets: Bucket[] | undefined, values: string[]) =>
  (buckets ?? []).filter((b) => values.includes(b.value)).reduce((n, b) => n + b.count, 0);

/** Open-data statistics for everyone: the published catalog counted by its facets. */
export default function StatsPage() {
  const { t } = useI18n();
  const facets = useCatalogFacets();
  const f = facets.data?.facets ?? {};
  const regions = regionsByCity(f.region, t('stats.provincial'));
  const chart = (key: 'sharingType' | 'openType' | 'grade' | 'updateCycle' | 'format') =>
    points(f[key], (b) => bucketLabel(t, key, b));

  return (
    <div className="ht-page">
      <PageHeader title={t('stats.title')} />
      {facets.error && <ErrorAlert error={facets.error} onRetry={() => facets.refetch()} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} md={8}>
          <Card>
            <Statistic title={t('stats.total')} value={facets.data?.count ?? 0} loading={facets.isPending} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Statistic
              title={t('stats.providers')}
              value={f.provider?.length ?? 0}
              loading={facets.isPending}
            />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Statistic
              title={t('stats.open')}
              value={sum(f.openType, ['unconditional', 'conditional'])}
              loading={facets.isPending}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('stats.byProvider')}>
            <EChart
              label={t('stats.byProvider')}
              option={barOption(points(f.provider, (b) => b.label).slice(0, 15))}
              height={360}
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('stats.byRegion')}>
            <EChart label={t('stats.byRegion')} option={barOption(regions, '#0e8f7e')} height={360} />
          </Card>
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Card title={t('stats.bySharing')}>
            <EChart label={t('stats.bySharing')} option={pieOption(chart('sharingType'))} />
          </Card>
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Card title={t('stats.byOpen')}>
            <EChart label={t('stats.byOpen')} option={pieOption(chart('openType'))} />
          </Card>
        </Col>
        <Col xs={24} md={12} xl={8}>
          <Card title={t('stats.byGrade')}>
            <EChart label={t('stats.byGrade')} option={pieOption(chart('grade'))} />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={t('stats.byCycle')}>
            <EChart label={t('stats.byCycle')} option={barOption(chart('updateCycle'), '#6d4bd8')} />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={t('stats.byFormat')}>
            <EChart label={t('stats.byFormat')} option={pieOption(chart('format'))} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
