import { useQuery } from '@tanstack/react-query';
import { Card, Select, Space, Statistic } from 'antd';
import { useState } from 'react';
import { objectionsApi } from '../../api/objections.js';
import { ErrorAlert } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { ObjectionTable } from '../workbench/objections/objection-table.js';

/** The figures of one resource's objections (异议统计), for its provider. */
function ResourceStats() {
  const { t } = useI18n();
  const all = useQuery({
    queryKey: ['objections', 'against', 'all'],
    queryFn: () => objectionsApi.list({ role: 'against' }),
  });
  const resources = [...new Map((all.data?.items ?? []).map((o) => [o.resource.code, o.resource])).values()];
  const [picked, setPicked] = useState<string | undefined>();
  const code = picked ?? resources[0]?.code;
  const stats = useQuery({
    queryKey: ['objections', 'stats', code],
    queryFn: () => objectionsApi.stats(code!),
    enabled: code !== undefined,
  });
  if (resources.length === 0) return null;
  return (
    <Card
      size="small"
      title={t('obj.stats')}
      style={{ marginBottom: 12 }}
      extra={
        <Select
          aria-label={t('obj.stats.pick')}
          value={code}
          onChange={setPicked}
          style={{ minWidth: 240 }}
          options={resources.map((r) => ({ value: r.code, label: r.name }))}
        />
      }
      data-testid="objection-stats"
    >
      {stats.error && <ErrorAlert error={stats.error} />}
      {stats.data && (
        <Space size="large" wrap>
          <Statistic title={t('obj.stats.total')} value={stats.data.total} />
          <Statistic title={t('obj.stats.pending')} value={stats.data.pending} />
          <Statistic title={t('obj.status.confirmed')} value={stats.data.byStatus.confirmed} />
          <Statistic title={t('obj.stats.disputedRows')} value={stats.data.disputedRows} />
          <Statistic title={t('obj.stats.reopenings')} value={stats.data.reopenings} />
          <Statistic title={t('obj.stats.avgHours')} value={stats.data.averageAnswerHours ?? '—'} />
        </Space>
      )}
    </Card>
  );
}

/** 异议处理 (provider): objections against my organisation's resources; answer them; figures per resource. */
export default function ObjectionsReceivedPage() {
  const { t } = useI18n();
  return (
    <div className="ht-page">
      <PageHeader title={t('obj.against.title')} subtitle={t('obj.against.subtitle')} />
      <ResourceStats />
      <ObjectionTable side="provider" />
    </div>
  );
}
