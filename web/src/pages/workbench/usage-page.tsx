import { Card, Empty, Table } from 'antd';
import { useMemo } from 'react';
import type { UsageView } from '../../api/sharing.js';
import { EChart } from '../../components/echart.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatNumber } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useUsage } from '../../components/sharing/use-usage.js';
import { useI18n } from '../../i18n/index.js';

/** 用量与配额: calls and rows per grant and day over 30 days, against each grant's daily quota. */
export default function UsagePage() {
  const { t, lang } = useI18n();
  const { usage } = useUsage('consumer');
  const items = usage.data?.items ?? [];
  const option = useMemo(() => {
    const days = [...new Set(items.map((u) => u.day))].sort();
    const grants = [...new Set(items.map((u) => u.grantId))];
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll' },
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value' },
      series: grants.map((g) => ({
        name: g.slice(0, 8),
        type: 'bar',
        stack: 'calls',
        data: days.map((d) => items.find((u) => u.grantId === g && u.day === d)?.calls ?? 0),
      })),
    };
  }, [items]);
  return (
    <div className="ht-page">
      <PageHeader title={t('wb.usage.title')} subtitle={t('usage.subtitle')} />
      {usage.error && <ErrorAlert error={usage.error} onRetry={() => usage.refetch()} />}
      <Card title={t('usage.chart')} style={{ marginBottom: 16 }}>
        {items.length ? (
          <EChart option={option} label={t('usage.chart')} height={260} />
        ) : (
          <Empty description={t('usage.none')} />
        )}
      </Card>
      <Table<UsageView>
        rowKey={(u) => `${u.grantId}-${u.day}`}
        loading={usage.isPending}
        dataSource={[...items].sort((a, b) => b.day.localeCompare(a.day))}
        locale={{ emptyText: t('usage.none') }}
        columns={[
          { title: t('usage.day'), dataIndex: 'day' },
          { title: t('usage.grant'), key: 'g', render: (_, u) => <code>{u.grantId.slice(0, 8)}</code> },
          { title: t('usage.calls'), key: 'c', render: (_, u) => formatNumber(u.calls, lang) },
          {
            title: t('usage.quotaCalls'),
            key: 'q',
            render: (_, u) => formatNumber(u.quota?.callsPerDay, lang),
          },
          { title: t('usage.rows'), key: 'r', render: (_, u) => formatNumber(u.rows, lang) },
          { title: t('grants.quota'), key: 'qr', render: (_, u) => formatNumber(u.quota?.rowsPerDay, lang) },
        ]}
      />
    </div>
  );
}
