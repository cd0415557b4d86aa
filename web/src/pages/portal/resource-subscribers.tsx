import { useQuery } from '@tanstack/react-query';
import { Table, Tag, Typography } from 'antd';
import { ApiError } from '../../api/client.js';
import { type SubscriberView, subscriptionsApi } from '../../api/subscriptions.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { useI18n } from '../../i18n/index.js';
import { channelLabel, StatusBadge } from '../workbench/subscriptions/labels.js';

/**
 * Who subscribes to one of the provider's resources (订阅方): the consumer organisation, its
 * application, the channel kind, the status and the last delivery. The provider's administrators
 * and stewards only; the caller decides whether to ask (`enabled`).
 */
export function useSubscribers(code: string, enabled: boolean) {
  return useQuery({
    queryKey: ['resource-subscribers', code],
    queryFn: () => subscriptionsApi.subscribers(code),
    enabled,
    // A refusal (403/404: not the provider's, or not its steward) hides the section: never retried.
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}

/** Whether the API refused the caller the list (then the section is not shown). */
export const refused = (error: unknown) =>
  error instanceof ApiError && (error.status === 403 || error.status === 404);

/** The subscribers' table. */
export function ResourceSubscribers({ query }: { query: ReturnType<typeof useSubscribers> }) {
  const { t, lang } = useI18n();
  return (
    <>
      <Typography.Paragraph type="secondary">{t('sub.subscribers.hint')}</Typography.Paragraph>
      {query.error && <ErrorAlert error={query.error} onRetry={() => query.refetch()} />}
      <Table<SubscriberView>
        rowKey="id"
        size="small"
        data-testid="resource-subscribers"
        loading={query.isPending}
        dataSource={query.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('sub.subscribers.empty') }}
        columns={[
          { title: t('sub.subscriber.org'), dataIndex: 'orgName', key: 'org' },
          {
            title: t('sub.application'),
            key: 'application',
            render: (_, s) => <Typography.Text type="secondary">{s.applicationId}</Typography.Text>,
          },
          {
            title: t('sub.channel'),
            key: 'channel',
            render: (_, s) => <Tag>{channelLabel(t, s.channel)}</Tag>,
          },
          {
            title: t('sub.status'),
            key: 'status',
            render: (_, s) => <StatusBadge t={t} status={s.status} reason={s.reason} />,
          },
          { title: t('sub.createdAt'), key: 'createdAt', render: (_, s) => formatTime(s.createdAt, lang) },
          {
            title: t('sub.lastDelivery'),
            key: 'lastDelivery',
            render: (_, s) => formatTime(s.lastDeliveryAt, lang) ?? t('sub.never'),
          },
        ]}
      />
    </>
  );
}
