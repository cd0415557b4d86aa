import { useQuery } from '@tanstack/react-query';
import { Space, Table, Tag, Tooltip, Typography } from 'antd';
import { type CaptureSourceView, subscriptionsApi } from '../../api/subscriptions.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatBytes, formatTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { type MessageKey, type Translate, useI18n } from '../../i18n/index.js';

const METHODS = new Set(['logical', 'binlog', 'poll', 'diff']);
const KINDS = new Set(['postgres', 'mysql', 'http_json', 'file']);

const methodLabel = (t: Translate, method: string | null) =>
  method && METHODS.has(method) ? t(`cap.method.${method}` as MessageKey) : t('cap.method.unknown');

/**
 * 变更采集状态 (docs/subscriptions.md), for the platform's administrators: per source with
 * subscriptions, how its changes are captured, whether its replication slot exists, the WAL the
 * slot holds back (red 告警 past the threshold, or when the source cannot be asked: a slot nobody
 * consumes fills the provider's disk), the stored position and when it last moved.
 */
export default function CapturePage() {
  const { t, lang } = useI18n();
  const sources = useQuery({
    queryKey: ['capture-sources'],
    queryFn: () => subscriptionsApi.captureSources(),
    refetchInterval: 30_000,
  });
  return (
    <div className="ht-page">
      <PageHeader title={t('cap.title')} subtitle={t('cap.subtitle')} />
      {sources.error && <ErrorAlert error={sources.error} onRetry={() => sources.refetch()} />}
      <Table<CaptureSourceView>
        rowKey="sourceId"
        data-testid="capture-table"
        loading={sources.isPending}
        dataSource={sources.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ hideOnSinglePage: true, pageSize: 50 }}
        locale={{ emptyText: t('cap.empty') }}
        columns={[
          {
            title: t('cap.source'),
            key: 'source',
            render: (_, s) => (
              <Space orientation="vertical" size={0}>
                <span>{s.sourceName}</span>
                <Typography.Text type="secondary">
                  {KINDS.has(s.sourceKind) ? t(`src.kind.${s.sourceKind}` as MessageKey) : s.sourceKind}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('cap.subscriptions'),
            dataIndex: 'subscriptions',
            key: 'subscriptions',
            align: 'right',
          },
          { title: t('cap.method'), key: 'method', render: (_, s) => methodLabel(t, s.method) },
          {
            title: t('cap.prepared'),
            key: 'prepared',
            render: (_, s) =>
              s.method === 'poll' ? (
                <Typography.Text type="secondary">{t('cap.notApplicable')}</Typography.Text>
              ) : (
                <Tag color={s.prepared ? 'success' : 'default'}>
                  {t(s.prepared ? 'cap.prepared.yes' : 'cap.prepared.no')}
                </Tag>
              ),
          },
          {
            title: t('cap.retained'),
            key: 'retained',
            align: 'right',
            render: (_, s) => (
              <span data-testid="capture-retained">
                {s.retainedBytes === null ? t('cap.notApplicable') : formatBytes(s.retainedBytes, lang)}
              </span>
            ),
          },
          {
            title: t('cap.alert'),
            key: 'alert',
            render: (_, s) =>
              s.alert ? (
                <Tag color="red" data-testid="capture-alert">
                  {t('cap.alert')}
                </Tag>
              ) : (
                <Tag color="success">{t('cap.ok')}</Tag>
              ),
          },
          {
            title: t('cap.error'),
            key: 'error',
            render: (_, s) =>
              s.error ? (
                <Tooltip title={s.error}>
                  <Typography.Text type="danger">
                    {s.error === 'source_unreachable' ? (
                      t('cap.error.source_unreachable')
                    ) : (
                      <code>{s.error}</code>
                    )}
                  </Typography.Text>
                </Tooltip>
              ) : (
                '—'
              ),
          },
          {
            title: t('cap.position'),
            key: 'position',
            render: (_, s) =>
              s.position ? (
                <Tooltip title={s.position.length > 48 ? s.position.slice(0, 500) : undefined}>
                  <code>{s.position.length > 48 ? `${s.position.slice(0, 48)}…` : s.position}</code>
                </Tooltip>
              ) : (
                '—'
              ),
          },
          {
            title: t('cap.updatedAt'),
            key: 'updatedAt',
            render: (_, s) => formatTime(s.positionUpdatedAt, lang) ?? '—',
          },
        ]}
      />
    </div>
  );
}
