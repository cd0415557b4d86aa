import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { catalogApi } from '../../../api/catalog.js';
import { fetchAll, identityApi } from '../../../api/identity.js';
import { type SubscriptionView, subscriptionsApi } from '../../../api/subscriptions.js';
import { useSession } from '../../../auth/session.js';
import { ErrorAlert, errorMessage } from '../../../components/error-result.js';
import { formatNumber, formatTime } from '../../../components/format.js';
import { PageHeader } from '../../../components/page-header.js';
import { useI18n } from '../../../i18n/index.js';
import { channelLabel, channelTarget, errorLabel, StatusBadge } from './labels.js';
import { SubscriptionDrawer } from './subscription-drawer.js';

/** Resource names by code, for the codes the subscriptions name (a code not readable stays a code). */
async function resourceNames(codes: string[]): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  const found = await Promise.allSettled(codes.map((code) => catalogApi.resource(code)));
  found.forEach((r, i) => {
    if (r.status === 'fulfilled') names[codes[i]!] = r.value.name;
  });
  return names;
}

/**
 * 数据订阅 (docs/subscriptions.md): the organisation's subscriptions, with each one's channel and
 * target, status (and why it is paused), events pending delivery, last delivery, failures and
 * dead letters. The organisation's administrators pause and resume and replay dead letters;
 * analysts read.
 */
export default function SubscriptionsPage() {
  const { t, lang } = useI18n();
  const { hasRole } = useSession();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const operator = hasRole('org_admin');
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['subscriptions'],
    queryFn: () => subscriptionsApi.list(),
    // Delivery moves on its own: keep the figures fresh while the page is open.
    refetchInterval: 10_000,
  });
  const items = list.data?.items ?? [];
  const codes = [...new Set(items.map((s) => s.resourceCode))].sort();
  const names = useQuery({
    queryKey: ['subscriptions', 'resource-names', codes],
    queryFn: () => resourceNames(codes),
    enabled: codes.length > 0,
    staleTime: 300_000,
  });
  const apps = useQuery({
    queryKey: ['applications'],
    queryFn: () => fetchAll((cursor) => identityApi.applications({ limit: 200, cursor })),
  });
  const resourceName = (code: string) => names.data?.[code] ?? code;
  const appName = (id: string) => apps.data?.find((a) => a.id === id)?.name ?? id;

  const act = async (s: SubscriptionView, action: 'pause' | 'resume') => {
    setBusy(s.id);
    try {
      await (action === 'pause' ? subscriptionsApi.pause(s.id) : subscriptionsApi.resume(s.id));
      message.success(t(action === 'pause' ? 'sub.paused' : 'sub.resumed'));
      await client.invalidateQueries({ queryKey: ['subscriptions'] });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const selected = items.find((s) => s.id === open);

  return (
    <div className="ht-page">
      <PageHeader title={t('sub.title')} subtitle={t('sub.subtitle')} />
      {!operator && <Alert type="info" showIcon title={t('sub.readOnly')} style={{ marginBottom: 12 }} />}
      {list.error && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      <Table<SubscriptionView>
        rowKey="id"
        data-testid="subscriptions-table"
        loading={list.isPending}
        dataSource={items}
        scroll={{ x: 'max-content' }}
        pagination={{ hideOnSinglePage: true, pageSize: 50 }}
        locale={{ emptyText: t('sub.empty') }}
        columns={[
          {
            title: t('sub.resource'),
            key: 'resource',
            render: (_, s) => (
              <Space orientation="vertical" size={0}>
                <Link to={`/portal/resources/${encodeURIComponent(s.resourceCode)}`}>
                  {resourceName(s.resourceCode)}
                </Link>
                <Typography.Text type="secondary">{appName(s.applicationId)}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t('sub.channel'),
            key: 'channel',
            render: (_, s) => (
              <Space orientation="vertical" size={0}>
                <Tag>{channelLabel(t, s.channel.kind)}</Tag>
                <Typography.Text type="secondary" className="ht-sub-target">
                  {channelTarget(t, s.channel)}
                </Typography.Text>
              </Space>
            ),
          },
          {
            title: t('sub.status'),
            key: 'status',
            render: (_, s) => <StatusBadge t={t} status={s.status} reason={s.reason} />,
          },
          {
            title: t('sub.lag'),
            key: 'lag',
            align: 'right',
            render: (_, s) => (
              <span data-testid="sub-lag">
                {t('sub.lagEvents', { n: formatNumber(s.delivery.lag, lang) })}
              </span>
            ),
          },
          {
            title: t('sub.lastDelivery'),
            key: 'lastDelivery',
            render: (_, s) => formatTime(s.lastDeliveryAt, lang) ?? t('sub.never'),
          },
          {
            title: t('sub.failures'),
            key: 'failures',
            render: (_, s) => <Failures s={s} />,
          },
          {
            title: t('sub.deadLetters'),
            key: 'deadLetters',
            align: 'right',
            render: (_, s) =>
              s.delivery.deadLetters > 0 ? (
                <Tag color="red">{formatNumber(s.delivery.deadLetters, lang)}</Tag>
              ) : (
                '0'
              ),
          },
          {
            title: t('sub.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, s) => (
              <Space size={0} wrap>
                <Button
                  type="link"
                  size="small"
                  onClick={() => setOpen(s.id)}
                  aria-label={`${t('sub.details')} ${resourceName(s.resourceCode)}`}
                >
                  {t('sub.details')}
                </Button>
                {operator && s.status !== 'paused' && (
                  <Popconfirm
                    title={t('sub.pauseConfirm')}
                    onConfirm={() => act(s, 'pause')}
                    okText={t('sub.pause')}
                    cancelText={t('action.cancel')}
                  >
                    <Button
                      type="link"
                      size="small"
                      loading={busy === s.id}
                      data-testid="sub-pause"
                      aria-label={`${t('sub.pause')} ${resourceName(s.resourceCode)}`}
                    >
                      {t('sub.pause')}
                    </Button>
                  </Popconfirm>
                )}
                {operator && s.status === 'paused' && (
                  <Popconfirm
                    title={t('sub.resumeConfirm')}
                    onConfirm={() => act(s, 'resume')}
                    okText={t('sub.resume')}
                    cancelText={t('action.cancel')}
                  >
                    <Button
                      type="link"
                      size="small"
                      loading={busy === s.id}
                      data-testid="sub-resume"
                      aria-label={`${t('sub.resume')} ${resourceName(s.resourceCode)}`}
                    >
                      {t('sub.resume')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {selected && (
        <SubscriptionDrawer
          subscription={selected}
          title={resourceName(selected.resourceCode)}
          operator={operator}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}

/** The batch now in retry: attempts, the last error in words, the next attempt. */
function Failures({ s }: { s: SubscriptionView }) {
  const { t, lang } = useI18n();
  const d = s.delivery;
  if (d.attempts === 0 && !d.lastError)
    return <Typography.Text type="secondary">{t('sub.noFailure')}</Typography.Text>;
  return (
    <Space orientation="vertical" size={0} data-testid="sub-failures">
      {d.lastError && (
        <Tooltip title={d.lastError}>
          <Typography.Text type="danger">{errorLabel(t, d.lastError)}</Typography.Text>
        </Tooltip>
      )}
      <Typography.Text type="secondary">{t('sub.attempts', { n: d.attempts })}</Typography.Text>
      {d.nextAttemptAt && (
        <Typography.Text type="secondary">
          {t('sub.nextAttempt', { time: formatTime(d.nextAttemptAt, lang) ?? '' })}
        </Typography.Text>
      )}
    </Space>
  );
}
