import { useQueries, useQuery } from '@tanstack/react-query';
import { Alert, Table, Tag } from 'antd';
import { fetchAll, identityApi } from '../../api/identity.js';
import { type GrantView, sharingApi } from '../../api/sharing.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatDate, formatNumber } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { GrantStatusTag } from '../../components/sharing/labels.js';
import { useI18n } from '../../i18n/index.js';

/**
 * 使用去向: who uses which of the organisation's resources — the grants it gave, and the calls
 * and rows each consumed over 30 days. Built from GET /grants?side=provider and /usage?side=provider
 * (there is no lineage route of its own).
 */
export default function LineagePage() {
  const { t, lang } = useI18n();
  const grants = useQuery({
    queryKey: ['grants', 'provider'],
    queryFn: () => fetchAll((cursor) => sharingApi.grants({ side: 'provider', limit: 200, cursor })),
  });
  const usage = useQuery({ queryKey: ['usage', 'provider'], queryFn: () => sharingApi.usage('provider') });
  const orgIds = [...new Set((grants.data ?? []).map((g) => g.consumerOrgId))];
  const orgs = useQueries({
    queries: orgIds.map((id) => ({
      queryKey: ['organization', id],
      queryFn: () => identityApi.organization(id),
      retry: false,
    })),
  });
  const orgName = (id: string) => orgs.find((o) => o.data?.id === id)?.data?.name ?? id.slice(0, 8);
  const totals = new Map<string, { calls: number; rows: number }>();
  for (const u of usage.data?.items ?? []) {
    const sum = totals.get(u.grantId) ?? { calls: 0, rows: 0 };
    totals.set(u.grantId, { calls: sum.calls + u.calls, rows: sum.rows + u.rows });
  }
  const rows = [...(grants.data ?? [])].sort((a, b) => a.resourceCode.localeCompare(b.resourceCode));

  return (
    <div className="ht-page">
      <PageHeader title={t('pv.lineage.title')} subtitle={t('lin.subtitle')} />
      <Alert type="info" showIcon title={t('lin.source')} style={{ marginBottom: 16 }} />
      {grants.error && <ErrorAlert error={grants.error} onRetry={() => grants.refetch()} />}
      <Table<GrantView>
        rowKey="id"
        loading={grants.isPending}
        dataSource={rows}
        locale={{ emptyText: t('grants.none') }}
        scroll={{ x: 900 }}
        columns={[
          { title: t('req.resource'), key: 'r', render: (_, g) => <code>{g.resourceCode}</code> },
          { title: t('lin.consumer'), key: 'c', render: (_, g) => orgName(g.consumerOrgId) },
          { title: t('apply.purpose'), dataIndex: 'purpose', ellipsis: true },
          {
            title: t('req.items'),
            key: 'i',
            render: (_, g) => g.items.map((i) => <Tag key={i.name}>{i.name}</Tag>),
          },
          {
            title: t('grants.validUntil'),
            key: 'v',
            render: (_, g) => formatDate(g.validUntil, lang) ?? t('grants.noExpiry'),
          },
          {
            title: t('lin.calls30'),
            key: 'k',
            render: (_, g) => formatNumber(totals.get(g.id)?.calls ?? 0, lang),
          },
          {
            title: t('lin.rows30'),
            key: 'w',
            render: (_, g) => formatNumber(totals.get(g.id)?.rows ?? 0, lang),
          },
          {
            title: t('common.status'),
            key: 's',
            render: (_, g) => <GrantStatusTag t={t} status={g.status} />,
          },
        ]}
      />
    </div>
  );
}
