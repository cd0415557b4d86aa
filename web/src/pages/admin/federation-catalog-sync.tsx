import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Space, Table, Tag } from 'antd';
import {
  type CatalogNodeView,
  type CatalogReportState,
  type FederationNodeView,
  federationApi,
} from '../../api/federation.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatNumber, formatTime } from '../../components/format.js';
import { type MessageKey, useI18n } from '../../i18n/index.js';

/** How long ago, in whole seconds, minutes, hours or days: the sync lag an administrator reads. */
function useAgo() {
  const { t } = useI18n();
  return (iso: string | null) => {
    if (!iso) return t('fed.sync.never');
    const seconds = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
    if (seconds < 60) return t('fed.sync.ago.seconds', { n: seconds });
    if (seconds < 3600) return t('fed.sync.ago.minutes', { n: Math.floor(seconds / 60) });
    if (seconds < 86_400) return t('fed.sync.ago.hours', { n: Math.floor(seconds / 3600) });
    return t('fed.sync.ago.days', { n: Math.floor(seconds / 86_400) });
  };
}

/** This node's reporting to its parent: the acknowledged cursor, the last success, the last error. */
function ReportState({ report, names }: { report: CatalogReportState; names: Map<string, string> }) {
  const { t, lang } = useI18n();
  const ago = useAgo();
  const failing =
    report.lastErrorAt !== null &&
    (report.lastSuccessAt === null || new Date(report.lastErrorAt) > new Date(report.lastSuccessAt));
  return (
    <div data-testid="fed-sync-report">
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
        <Descriptions.Item label={t('fed.sync.reportTo')}>
          {names.get(report.parentNodeId) ?? report.parentNodeId}
        </Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          {failing ? (
            <Tag color="error" data-testid="fed-sync-report-state">
              {t('fed.sync.reportFailing')}
            </Tag>
          ) : report.lastSuccessAt ? (
            <Tag color="success" data-testid="fed-sync-report-state">
              {t('fed.sync.reportOk')}
            </Tag>
          ) : (
            <Tag data-testid="fed-sync-report-state">{t('fed.sync.never')}</Tag>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('fed.sync.lastSuccess')}>
          {report.lastSuccessAt
            ? `${formatTime(report.lastSuccessAt, lang)}（${ago(report.lastSuccessAt)}）`
            : t('fed.sync.never')}
        </Descriptions.Item>
        <Descriptions.Item label={t('fed.sync.cursor')}>
          {formatNumber(report.cursor, lang)}
        </Descriptions.Item>
      </Descriptions>
      {failing && (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          data-testid="fed-sync-report-error"
          title={t('fed.sync.lastError', { time: formatTime(report.lastErrorAt, lang) ?? '' })}
          description={
            <Space orientation="vertical" size={2}>
              <code>{report.lastErrorCode}</code>
              {report.lastError && <code>{report.lastError}</code>}
              <span>{t('fed.sync.catchUp')}</span>
            </Space>
          }
        />
      )}
    </div>
  );
}

/**
 * 目录同步 (catalog reporting, docs/federation.md): the nodes whose catalogs this node holds
 * (entries, last synchronisation, how long ago, stale after 120 s without a report) and, on a
 * node with a parent, its own reporting. A stale copy stays searchable; the tag says it may lag.
 */
export function FederationCatalogSync({ nodes }: { nodes: FederationNodeView[] }) {
  const { t, lang } = useI18n();
  const ago = useAgo();
  const sync = useQuery({
    queryKey: ['federation-catalog-nodes'],
    queryFn: () => federationApi.catalogNodes(),
    refetchInterval: 10_000,
  });
  const names = new Map(nodes.map((n) => [n.nodeId, n.name]));
  return (
    <Card title={t('fed.sync.title')} size="small" data-testid="fed-sync">
      {sync.error && <ErrorAlert error={sync.error} onRetry={() => sync.refetch()} />}
      {sync.data && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          {sync.data.report && <ReportState report={sync.data.report} names={names} />}
          <Table<CatalogNodeView>
            rowKey="nodeId"
            size="small"
            data-testid="fed-sync-nodes"
            dataSource={sync.data.items}
            locale={{ emptyText: t('fed.sync.empty') }}
            pagination={{ hideOnSinglePage: true, pageSize: 50 }}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t('fed.name'), dataIndex: 'name' },
              { title: t('fed.nodeId'), dataIndex: 'nodeId', render: (id: string) => <code>{id}</code> },
              {
                title: t('fed.level'),
                dataIndex: 'level',
                render: (level: string) => (level ? t(`fed.level.${level}` as MessageKey) : '—'),
              },
              {
                title: t('fed.sync.via'),
                dataIndex: 'viaNodeId',
                render: (via: string, n) => (via === n.nodeId ? '—' : (names.get(via) ?? via)),
              },
              {
                title: t('fed.sync.entries'),
                dataIndex: 'entries',
                align: 'right',
                render: (n: number) => formatNumber(n, lang),
              },
              {
                title: t('fed.sync.lastSynced'),
                dataIndex: 'lastSyncedAt',
                render: (at: string | null) => (at ? formatTime(at, lang) : t('fed.sync.never')),
              },
              {
                title: t('fed.sync.lag'),
                dataIndex: 'lastSyncedAt',
                key: 'lag',
                render: (at: string | null) => ago(at),
              },
              {
                title: t('common.status'),
                dataIndex: 'stale',
                render: (stale: boolean) =>
                  stale ? (
                    <Tag color="warning" data-testid="fed-sync-stale">
                      {t('fed.sync.stale')}
                    </Tag>
                  ) : (
                    <Tag color="success" data-testid="fed-sync-fresh">
                      {t('fed.sync.fresh')}
                    </Tag>
                  ),
              },
            ]}
          />
        </Space>
      )}
    </Card>
  );
}
