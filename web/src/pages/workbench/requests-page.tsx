import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Popconfirm, Table } from 'antd';
import { Link } from 'react-router-dom';
import { fetchAll } from '../../api/identity.js';
import { type AccessRequestView, sharingApi } from '../../api/sharing.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { DeadlineTag } from '../../components/sharing/deadline-tag.js';
import { nextActionText, RequestStatusTag } from '../../components/sharing/labels.js';
import { useI18n } from '../../i18n/index.js';
import { RequestDetails } from './request-details.js';

/** 我的申请: the organisation's requests with who acts next and since when; withdraw a pending one. */
export default function RequestsPage() {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const requests = useQuery({
    queryKey: ['requests', 'consumer'],
    queryFn: () => fetchAll((cursor) => sharingApi.requests({ scope: 'consumer', limit: 200, cursor })),
  });
  const time = (iso: string) => formatTime(iso, lang) ?? '';
  const withdraw = async (id: string) => {
    try {
      await sharingApi.withdraw(id);
      message.success(t('req.withdrawn'));
      await client.invalidateQueries({ queryKey: ['requests'] });
    } catch (error) {
      message.error(errorMessage(error));
    }
  };

  return (
    <div className="ht-page">
      <PageHeader title={t('wb.requests.title')} subtitle={t('req.subtitle')} />
      {requests.error && <ErrorAlert error={requests.error} onRetry={() => requests.refetch()} />}
      <Table<AccessRequestView>
        rowKey="id"
        loading={requests.isPending}
        dataSource={[...(requests.data ?? [])].reverse()}
        locale={{ emptyText: t('req.none') }}
        scroll={{ x: 900 }}
        expandable={{ expandedRowRender: (r) => <RequestDetails request={r} /> }}
        columns={[
          {
            title: t('req.resource'),
            key: 'resource',
            render: (_, r) => <Link to={`/portal/resources/${r.resource.code}`}>{r.resource.name}</Link>,
          },
          { title: t('req.items'), key: 'items', render: (_, r) => r.items.length },
          {
            title: t('common.status'),
            key: 'status',
            render: (_, r) => <RequestStatusTag t={t} status={r.status} />,
          },
          { title: t('req.next'), key: 'next', render: (_, r) => nextActionText(t, r, time) },
          { title: t('req.deadline'), key: 'deadline', render: (_, r) => <DeadlineTag clock={r.deadline} /> },
          { title: t('req.created'), key: 'created', render: (_, r) => time(r.createdAt) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, r) =>
              r.status === 'pending' ? (
                <Popconfirm title={t('req.withdrawConfirm')} onConfirm={() => withdraw(r.id)}>
                  <Button size="small">{t('req.withdraw')}</Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </div>
  );
}
