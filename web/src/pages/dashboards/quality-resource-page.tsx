import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Space, Statistic, Table, Tag } from 'antd';
import { useParams } from 'react-router-dom';
import { type QualityRule, type QualityRun, qualityApi } from '../../api/quality.js';
import { EChart } from '../../components/echart.js';
import { ErrorAlert } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';

type Result = QualityRun['results'][number];

/** One resource's quality (the provider's stewards): score, trend, rules, issues with masked samples. */
export default function QualityResourcePage() {
  const { t } = useI18n();
  const { code = '' } = useParams();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const quality = useQuery({ queryKey: ['quality', code], queryFn: () => qualityApi.resource(code) });
  const run = useMutation({
    mutationFn: () => qualityApi.run(code),
    onSuccess: () => {
      message.success(t('q.ran'));
      void client.invalidateQueries({ queryKey: ['quality', code] });
    },
  });
  const ruleLabel = (r: QualityRule) =>
    [
      t(`q.kind.${r.kind}` as 'q.kind.validity'),
      r.items.join('、'),
      r.format ? t(`q.format.${r.format}` as 'q.format.date') : '',
      r.target ? `→ ${r.target.resource}.${r.target.item}` : '',
    ]
      .filter(Boolean)
      .join(' ');
  const data = quality.data;
  const issues = (data?.latest?.results ?? []).filter((r) => r.failed > 0);
  return (
    <div className="ht-page">
      <PageHeader
        title={data ? `${t('q.title')}：${data.resource.name}` : t('q.title')}
        extra={
          <Button
            type="primary"
            loading={run.isPending}
            onClick={() => run.mutate()}
            data-testid="quality-run"
          >
            {t('q.runNow')}
          </Button>
        }
      />
      {quality.error && <ErrorAlert error={quality.error} onRetry={() => quality.refetch()} />}
      {run.error && <ErrorAlert error={run.error} />}
      {data?.latest?.status === 'failed' && (
        <Alert type="error" showIcon title={t('q.runFailed', { code: data.latest.errorCode ?? '' })} />
      )}
      <Space wrap style={{ marginBottom: 12 }} align="start">
        <Card size="small">
          <Statistic
            title={t('q.score')}
            value={data?.score.score ?? t('q.noScore')}
            data-testid="quality-score"
          />
        </Card>
        <Card size="small" title={t('q.trend')} style={{ minWidth: 360 }}>
          <EChart
            label={t('q.trend')}
            height={180}
            option={{
              tooltip: {},
              grid: { left: 40, right: 16, top: 8, bottom: 24 },
              xAxis: {
                type: 'category',
                data: (data?.trend ?? []).map((p) => p.at.slice(5, 16).replace('T', ' ')),
              },
              yAxis: { type: 'value', min: 0, max: 100 },
              series: [{ type: 'line', name: t('q.score'), data: (data?.trend ?? []).map((p) => p.score) }],
            }}
          />
        </Card>
      </Space>
      <Card size="small" title={t('q.rules')} style={{ marginBottom: 12 }}>
        {data && (
          <div style={{ marginBottom: 8 }}>{t('q.schedule', { minutes: data.schedule.everyMinutes })}</div>
        )}
        <Space wrap>
          {(data?.rules ?? []).map((r) => (
            <Tag key={r.id} color={r.origin === 'steward' ? 'blue' : undefined}>
              {ruleLabel(r)} · {t(`q.origin.${r.origin}` as 'q.origin.default')}
            </Tag>
          ))}
        </Space>
      </Card>
      <Card size="small" title={t('q.issues')}>
        <Table<Result>
          rowKey={(r) => r.rule.id}
          data-testid="quality-issues"
          loading={quality.isPending}
          dataSource={issues}
          pagination={false}
          locale={{ emptyText: t('q.noIssues') }}
          columns={[
            { title: t('q.rules'), key: 'rule', render: (_, r) => ruleLabel(r.rule) },
            { title: t('q.checked'), dataIndex: 'checked' },
            { title: t('q.failedRows'), dataIndex: 'failed' },
            {
              title: t('q.samples'),
              key: 'samples',
              render: (_, r) =>
                r.samples.map((s, i) => (
                  // Samples have no identity of their own; their position is stable within a run.
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above
                  <div key={i} data-testid="quality-sample">
                    {Object.entries(s)
                      .map(([item, value]) => `${item}：${value ?? '—'}`)
                      .join('；')}
                  </div>
                )),
            },
          ]}
        />
      </Card>
    </div>
  );
}
