import { Progress, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { GrantView, UsageView } from '../../api/sharing.js';
import { formatDate, formatNumber } from '../../components/format.js';
import { filterLabel, GrantStatusTag, maskLabel } from '../../components/sharing/labels.js';
import { useI18n } from '../../i18n/index.js';

function Meter({ used, quota, unit }: { used: number; quota: number | undefined; unit: string }) {
  const { lang } = useI18n();
  if (!quota) return <span>{`${formatNumber(used, lang)} ${unit}`}</span>;
  const percent = Math.min(100, Math.round((used / quota) * 100));
  return (
    <div style={{ minWidth: 140 }}>
      <span>{`${formatNumber(used, lang)} / ${formatNumber(quota, lang)} ${unit}`}</span>
      <Progress
        percent={percent}
        size="small"
        status={percent >= 90 ? 'exception' : 'normal'}
        aria-label={`${used} / ${quota} ${unit}`}
      />
    </div>
  );
}

/** Grants with their items and masks, row filter, period, quota and today's use against it. */
export function GrantsTable({
  grants,
  loading,
  today,
  side = 'consumer',
  extraColumns = [],
}: {
  grants: GrantView[];
  /** Whose grants: those held (the provider is named) or those given (the consumer is). */
  side?: 'consumer' | 'provider';
  loading: boolean;
  today: Map<string, UsageView>;
  extraColumns?: NonNullable<Parameters<typeof Table<GrantView>>[0]['columns']>;
}) {
  const { t, lang } = useI18n();
  const days = (iso: string) => Math.ceil((new Date(iso).getTime() - Date.now()) / 86_400_000);
  return (
    <Table<GrantView>
      rowKey="id"
      loading={loading}
      dataSource={grants}
      locale={{ emptyText: t('grants.none') }}
      scroll={{ x: 1400 }}
      columns={[
        {
          title: t('req.resource'),
          key: 'resource',
          width: 220,
          render: (_, g) => (
            <Space orientation="vertical" size={0}>
              <Link to={`/portal/resources/${g.resourceCode}`} title={g.resourceCode}>
                {g.names.resource ?? g.resourceCode}
              </Link>
              <Typography.Text type="secondary">
                <code>{g.resourceCode}</code> · {t(`grants.origin.${g.origin}`)}
              </Typography.Text>
              {g.sandboxNoise ? (
                <Tag color="purple">{t('grants.noised', { epsilon: g.sandboxNoise.epsilon })}</Tag>
              ) : null}
            </Space>
          ),
        },
        {
          title: side === 'consumer' ? t('grants.provider') : t('grants.consumer'),
          key: 'party',
          width: 160,
          render: (_, g) => (side === 'consumer' ? g.names.provider : g.names.consumer) ?? '—',
        },
        {
          title: t('grants.application'),
          key: 'application',
          width: 150,
          render: (_, g) =>
            g.applicationId ? (g.names.application ?? g.applicationId) : t('grants.orgWide'),
        },
        {
          title: t('grants.items'),
          key: 'items',
          width: 260,
          render: (_, g) =>
            g.items.map((i) => (
              <Tag key={i.name} color={i.mask.kind === 'none' ? undefined : 'orange'}>
                {i.mask.kind === 'none' ? i.name : `${i.name}（${maskLabel(t, i.mask)}）`}
              </Tag>
            )),
        },
        {
          title: t('grants.rowFilter'),
          key: 'filter',
          render: (_, g) =>
            g.rowFilter.length ? g.rowFilter.map(filterLabel).join(' AND ') : t('common.none'),
        },
        {
          title: t('grants.validUntil'),
          key: 'until',
          render: (_, g) => {
            if (!g.validUntil) return t('grants.noExpiry');
            const left = days(g.validUntil);
            return (
              <Tooltip title={t('grants.expiresIn', { n: left })}>
                <span style={left <= 30 && left >= 0 ? { color: '#ad4e00', fontWeight: 600 } : undefined}>
                  {formatDate(g.validUntil, lang)}
                </span>
              </Tooltip>
            );
          },
        },
        {
          title: t('grants.today'),
          key: 'today',
          render: (_, g) => {
            const u = today.get(g.id);
            return (
              <Space orientation="vertical" size={2}>
                <Meter used={u?.calls ?? 0} quota={g.quota?.callsPerDay} unit={t('grants.calls')} />
                <Meter used={u?.rows ?? 0} quota={g.quota?.rowsPerDay} unit={t('grants.rows')} />
              </Space>
            );
          },
        },
        {
          title: t('grants.ips'),
          key: 'ips',
          render: (_, g) => (g.allowedIps.length ? g.allowedIps.join(', ') : t('grants.anyIp')),
        },
        {
          title: t('grants.export'),
          key: 'export',
          render: (_, g) => (g.mayExport ? t('common.yes') : t('common.no')),
        },
        {
          title: t('common.status'),
          key: 'status',
          render: (_, g) => <GrantStatusTag t={t} status={g.status} />,
        },
        ...extraColumns,
      ]}
    />
  );
}
