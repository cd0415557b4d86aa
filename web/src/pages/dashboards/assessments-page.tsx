import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Space, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { type AssessmentReport, assessmentApi } from '../../api/governance.js';
import { EChart } from '../../components/echart.js';
import { ErrorAlert } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { type MessageKey, useI18n } from '../../i18n/index.js';

type Department = AssessmentReport['departments'][number];

const score = (v: number | null, na: string) => (v === null ? na : v.toFixed(1));
const FIGURES = ['entries', 'complete', 'current', 'answered', 'onTime', 'overdue', 'averageWorkingDays'];
const rank = (key: string) => (FIGURES.includes(key) ? FIGURES.indexOf(key) : FIGURES.length);

/** 月度考核: every department's scores for a month, ranked, with the exports to file. */
export default function AssessmentsPage() {
  const { t } = useI18n();
  // Last month by default: the current one is still running.
  const [month, setMonth] = useState<Dayjs>(dayjs().subtract(1, 'month'));
  const key = month.format('YYYY-MM');
  const report = useQuery({ queryKey: ['assessment', key], queryFn: () => assessmentApi.month(key) });
  const departments = report.data?.departments ?? [];
  const keys = report.data?.departments[0]?.indicators.map((i) => i.key) ?? [];
  const label = (k: string) => t(`assess.ind.${k}` as MessageKey);
  // The counts behind a score, named (hover): 本月答复 2 · 按时答复 1 · 平均办理工作日 3.5, in a
  // fixed order (a kept month's detail comes back from JSONB, which reorders keys).
  const figures = (detail: Record<string, number | null>) =>
    Object.entries(detail)
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([k, v]) => `${t(`assess.detail.${k}` as MessageKey)} ${v ?? '—'}`)
      .join(' · ');
  return (
    <div className="ht-page">
      <PageHeader title={t('assess.title')} subtitle={t('assess.subtitle')} />
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker
          picker="month"
          allowClear={false}
          value={month}
          aria-label={t('assess.month')}
          disabledDate={(d) => d.isAfter(dayjs(), 'month')}
          onChange={(d) => d && setMonth(d)}
        />
        <Button href={assessmentApi.exportUrl(key, 'xlsx')} download>
          {t('assess.exportXlsx')}
        </Button>
        <Button href={assessmentApi.exportUrl(key, 'pdf')} download>
          {t('assess.exportPdf')}
        </Button>
        {report.data && (
          <Tag color={report.data.final ? 'green' : 'orange'}>
            {report.data.final ? t('assess.final') : t('assess.running')}
          </Tag>
        )}
      </Space>
      {report.error && <ErrorAlert error={report.error} onRetry={() => report.refetch()} />}
      {report.data && departments.length === 0 && <Alert type="info" showIcon title={t('assess.none')} />}
      {departments.length > 0 && (
        <Card size="small" title={t('assess.chart')} style={{ marginBottom: 12 }}>
          <EChart
            label={t('assess.chart')}
            height={Math.max(200, departments.length * 28)}
            option={{
              grid: { left: 160, right: 24, top: 8, bottom: 24 },
              tooltip: {},
              xAxis: { type: 'value', max: 100 },
              yAxis: { type: 'category', inverse: true, data: departments.map((d) => d.orgName) },
              series: [{ type: 'bar', name: t('assess.score'), data: departments.map((d) => d.score ?? 0) }],
            }}
          />
        </Card>
      )}
      <Table<Department>
        rowKey="orgId"
        data-testid="assessment-departments"
        loading={report.isPending}
        dataSource={departments}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          { title: t('assess.rank'), key: 'rank', render: (_, d) => d.rank ?? '—' },
          { title: t('assess.department'), dataIndex: 'orgName' },
          {
            title: t('assess.score'),
            key: 'score',
            render: (_, d) => <b>{score(d.score, t('assess.na'))}</b>,
          },
          ...keys.map((k) => ({
            title: `${label(k)}（${report.data?.weights[k]}）`,
            key: k,
            render: (_: unknown, d: Department) => {
              const i = d.indicators.find((x) => x.key === k);
              return <span title={figures(i?.detail ?? {})}>{score(i?.score ?? null, t('assess.na'))}</span>;
            },
          })),
        ]}
      />
    </div>
  );
}
