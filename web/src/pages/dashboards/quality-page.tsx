import { useQuery } from '@tanstack/react-query';
import { Card, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { type QualityScores, qualityApi } from '../../api/quality.js';
import { EChart } from '../../components/echart.js';
import { ErrorAlert } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';

type ResourceRow = QualityScores['resources'][number];

/** 数据质量: department scores as a bar chart, and each resource's latest score. */
export default function QualityPage() {
  const { t } = useI18n();
  const scores = useQuery({ queryKey: ['quality-scores'], queryFn: qualityApi.scores });
  const departments = (scores.data?.departments ?? []).filter((d) => d.score !== null);
  return (
    <div className="ht-page">
      <PageHeader title={t('q.title')} subtitle={t('q.subtitle')} />
      {scores.error && <ErrorAlert error={scores.error} onRetry={() => scores.refetch()} />}
      <Card size="small" title={t('q.departments')} style={{ marginBottom: 12 }}>
        <EChart
          label={t('q.departments')}
          height={Math.max(160, departments.length * 36)}
          option={{
            tooltip: {},
            grid: { left: 160, right: 24, top: 8, bottom: 24 },
            xAxis: { type: 'value', min: 0, max: 100 },
            yAxis: { type: 'category', data: departments.map((d) => d.name) },
            series: [{ type: 'bar', name: t('q.score'), data: departments.map((d) => d.score) }],
          }}
        />
      </Card>
      <Table<ResourceRow>
        rowKey="code"
        data-testid="quality-resources"
        loading={scores.isPending}
        dataSource={scores.data?.resources ?? []}
        columns={[
          {
            title: t('q.resource'),
            key: 'name',
            render: (_, r) => <Link to={`/dashboards/quality/${r.code}`}>{r.name}</Link>,
          },
          { title: t('q.score'), key: 'score', render: (_, r) => r.score ?? t('q.noScore') },
          {
            title: t('q.lastStatus'),
            key: 'status',
            render: (_, r) =>
              r.lastStatus === 'failed' ? (
                <Tag color="red">{t('q.failed')}</Tag>
              ) : (
                <Tag>{t('q.succeeded')}</Tag>
              ),
          },
          {
            title: t('q.scoredAt'),
            key: 'at',
            render: (_, r) => r.scoredAt?.slice(0, 16).replace('T', ' ') ?? '—',
          },
        ]}
      />
    </div>
  );
}
