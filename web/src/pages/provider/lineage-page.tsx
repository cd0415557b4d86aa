import { useQuery } from '@tanstack/react-query';
import { Alert, Table, Tag, Typography } from 'antd';
import { fetchAll } from '../../api/identity.js';
import { type GrantView, sharingApi } from '../../api/sharing.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatDate, formatNumber } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { GrantStatusTag } from '../../components/sharing/labels.js';
import { useI18n } from '../../i18n/index.js';

/**
 * 使用去向: who uses which of the organisation's resources — the grants it gave, and the calls
 * and rows each consumed over 30 days, from the grants it gave (named by the API) and their usage.
 */
export default function LineagePage() {
  const { t, lang } = useI18n();
  const grants = useQuery({
    queryKey: ['grants', 'provider'],
    queryFn: () => fetchAll((cursor) => sharingApi.grants({ side: 'provider', limit: 200, cursor })),
  });
  const usage = useQuery({ queryKey: ['usage', 'provider'], queryFn: () => sharingApi.usage('provider') });
  const totals = new Map<string, { calls: number; rows: number }>();
  for (const u of usage.data?.items ?? []) {
    const sum = totals.get(u.grantId) ?? { calls: 0, rows: 0 };
    totals.set(u.grantId, { calls: sum.calls + u.calls, rows: sum.rows + u.rows });
  }
  const rows = [...(grants.data ?? [])].sort((a, b) =>
    (a.names.resource ?? a.resourceCode).localeCompare(b.names.resource ?? b.resourceCode, 'zh-CN'),
  );

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
          {
            title: t('req.resource'),
            key: 'r',
            render: (_, g) => (
              <>
                {g.names.resource ?? g.resourceCode}
                <br />
                <Typography.Text type="secondary">
                  <code>{g.resourceCode}</code>
                </Typography.Text>
              </>
            ),
          },
          { title: t('lin.consumer'), key: 'c', render: (_, g) => g.names.consumer ?? g.consumerOrgId },
          {
            title: t('grants.application'),
            key: 'a',
            render: (_, g) =>
              g.applicationId ? (g.names.application ?? g.applicationId) : t('grants.orgWide'),
          },
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
