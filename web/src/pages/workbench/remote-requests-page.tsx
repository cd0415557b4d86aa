import { useQuery } from '@tanstack/react-query';
import { Button, Result, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client.js';
import { federationApi, type RemoteRequestView } from '../../api/federation.js';
import { fetchAll, identityApi } from '../../api/identity.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { RemoteRequestDetails, RemoteStatusTag } from './remote-request-details.js';

/**
 * 跨节点申请: the organisation's requests to other nodes of the federation, with where each stands
 * (发送中 until the provider has filed it), the provider's decision, and how a grant is read. The
 * list asks the providers of the pending ones first (the API does), so a decision shows on load.
 */
export default function RemoteRequestsPage() {
  const { t, lang } = useI18n();
  const requests = useQuery({
    queryKey: ['remote-requests'],
    queryFn: () => fetchAll((cursor) => federationApi.remoteRequests({ limit: 200, cursor })),
  });
  const apps = useQuery({
    queryKey: ['applications'],
    queryFn: () => fetchAll((cursor) => identityApi.applications({ limit: 200, cursor })),
  });
  const appName = (id: string) => apps.data?.find((a) => a.id === id)?.name ?? id.slice(0, 8);
  const time = (iso: string | null) => (iso ? (formatTime(iso, lang) ?? '') : '');
  const header = <PageHeader title={t('fedreq.title')} subtitle={t('fedreq.subtitle')} />;
  // A node outside any federation has no other node to apply to: said plainly, not as an error.
  if (requests.error instanceof ApiError && requests.error.code === 'federation_not_joined')
    return (
      <div className="ht-page">
        {header}
        <Result status="info" title={t('fedreq.notJoined')} data-testid="rr-not-joined" />
      </div>
    );

  return (
    <div className="ht-page">
      {header}
      {requests.error && <ErrorAlert error={requests.error} onRetry={() => requests.refetch()} />}
      <Table<RemoteRequestView>
        rowKey="id"
        data-testid="rr-table"
        loading={requests.isFetching}
        dataSource={[...(requests.data ?? [])].reverse()}
        locale={{ emptyText: t('fedreq.none') }}
        scroll={{ x: 900 }}
        expandable={{ expandedRowRender: (r) => <RemoteRequestDetails request={r} /> }}
        title={() => (
          <Button size="small" onClick={() => requests.refetch()} loading={requests.isFetching}>
            {t('fedreq.refresh')}
          </Button>
        )}
        columns={[
          {
            title: t('fedreq.provider'),
            key: 'node',
            render: (_, r) => <Tag color="geekblue">{r.providerNodeName ?? r.providerNodeId}</Tag>,
          },
          {
            title: t('req.resource'),
            key: 'resource',
            // A name means this node holds the entry: its page opens; otherwise its code.
            render: (_, r) =>
              r.resourceName ? (
                <Link
                  to={`/portal/resources/${encodeURIComponent(r.resourceCode)}?node=${encodeURIComponent(r.providerNodeId)}`}
                >
                  {r.resourceName}
                </Link>
              ) : (
                <code>{r.resourceCode}</code>
              ),
          },
          { title: t('apply.application'), key: 'app', render: (_, r) => appName(r.applicationId) },
          { title: t('req.items'), key: 'items', render: (_, r) => r.items.length },
          {
            title: t('common.status'),
            key: 'status',
            render: (_, r) => <RemoteStatusTag t={t} status={r.status} />,
          },
          {
            title: t('fedreq.decision'),
            key: 'decision',
            render: (_, r) =>
              r.decision?.grant
                ? t('fedreq.grantedCount', { n: r.decision.grant.items.length, of: r.items.length })
                : r.decision?.rejection
                  ? t(`reason.${r.decision.rejection.reason}`)
                  : '—',
          },
          { title: t('req.created'), key: 'created', render: (_, r) => time(r.createdAt) },
          { title: t('fedreq.checkedAt'), key: 'checked', render: (_, r) => time(r.checkedAt) },
        ]}
      />
    </div>
  );
}
