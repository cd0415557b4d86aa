import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Descriptions, Drawer, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { type DeadLetterView, type SubscriptionView, subscriptionsApi } from '../../../api/subscriptions.js';
import { ErrorAlert, errorMessage } from '../../../components/error-result.js';
import { formatNumber, formatTime } from '../../../components/format.js';
import { useI18n } from '../../../i18n/index.js';
import { channelLabel, channelTarget, errorLabel, StatusBadge } from './labels.js';

/**
 * One subscription: its channel, delivery progress and failures, and its dead letters (batches
 * the channel did not take for 24 h), each with 重放 for the organisation's administrators. A
 * replay the channel refuses answers 502 `replay_failed`, shown in the server's words.
 */
export function SubscriptionDrawer({
  subscription: s,
  title,
  operator,
  onClose,
}: {
  subscription: SubscriptionView;
  title: string;
  operator: boolean;
  onClose: () => void;
}) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [replaying, setReplaying] = useState<string | null>(null);
  const letters = useQuery({
    queryKey: ['subscriptions', s.id, 'dead-letters'],
    queryFn: () => subscriptionsApi.deadLetters(s.id),
  });
  const replay = async (letter: DeadLetterView) => {
    setReplaying(letter.id);
    try {
      await subscriptionsApi.replay(s.id, letter.id);
      message.success(t('sub.dl.replayed'));
      await client.invalidateQueries({ queryKey: ['subscriptions'] });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setReplaying(null);
    }
  };
  const d = s.delivery;
  return (
    <Drawer open size="large" title={t('sub.dl.title', { name: title })} onClose={onClose} destroyOnHidden>
      <Descriptions
        column={1}
        size="small"
        bordered
        style={{ marginBottom: 16 }}
        styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}
      >
        <Descriptions.Item label={t('sub.status')}>
          <StatusBadge t={t} status={s.status} reason={s.reason} />
        </Descriptions.Item>
        <Descriptions.Item label={t('sub.channel')}>{channelLabel(t, s.channel.kind)}</Descriptions.Item>
        <Descriptions.Item label={t('sub.target')}>
          <span className="ht-sub-target">{channelTarget(t, s.channel)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('sub.fields')}>
          {s.fields ? s.fields.join('、') : t('sub.allFields')}
        </Descriptions.Item>
        <Descriptions.Item label={t('sub.filter')}>
          {s.filter.length === 0 ? t('sub.noFilter') : t('sub.filterCount', { n: s.filter.length })}
        </Descriptions.Item>
        <Descriptions.Item label={t('sub.delivery')}>
          {`${t('sub.deliveredSeq')} ${formatNumber(d.deliveredSeq, lang)} · ${t('sub.latestSeq')} ${formatNumber(d.latestSeq, lang)} · ${t('sub.lag')} ${t('sub.lagEvents', { n: formatNumber(d.lag, lang) })}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('sub.lastDelivery')}>
          {formatTime(s.lastDeliveryAt, lang) ?? t('sub.never')}
        </Descriptions.Item>
        <Descriptions.Item label={t('sub.failures')}>
          {d.attempts === 0 && !d.lastError
            ? t('sub.noFailure')
            : [
                d.lastError ? errorLabel(t, d.lastError) : null,
                t('sub.attempts', { n: d.attempts }),
                d.failingSince
                  ? t('sub.failingSince', { time: formatTime(d.failingSince, lang) ?? '' })
                  : null,
                d.nextAttemptAt
                  ? t('sub.nextAttempt', { time: formatTime(d.nextAttemptAt, lang) ?? '' })
                  : null,
              ]
                .filter(Boolean)
                .join('；')}
        </Descriptions.Item>
        <Descriptions.Item label={t('sub.createdAt')}>{formatTime(s.createdAt, lang)}</Descriptions.Item>
      </Descriptions>
      <h2 className="ht-facet-title">{t('sub.dl.list')}</h2>
      <Typography.Paragraph type="secondary">{t('sub.dl.hint')}</Typography.Paragraph>
      {letters.error && <ErrorAlert error={letters.error} onRetry={() => letters.refetch()} />}
      <Table<DeadLetterView>
        rowKey="id"
        size="small"
        data-testid="dead-letters"
        loading={letters.isPending}
        dataSource={letters.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('sub.dl.empty') }}
        columns={[
          {
            title: t('sub.dl.seq'),
            key: 'seq',
            render: (_, l) => (l.firstSeq === l.lastSeq ? `${l.firstSeq}` : `${l.firstSeq}–${l.lastSeq}`),
          },
          { title: t('sub.dl.events'), dataIndex: 'events', key: 'events', align: 'right' },
          {
            title: t('sub.dl.error'),
            key: 'error',
            render: (_, l) => (
              <Tooltip title={l.error}>
                <span>{errorLabel(t, l.error)}</span>
              </Tooltip>
            ),
          },
          { title: t('sub.dl.attempts'), dataIndex: 'attempts', key: 'attempts', align: 'right' },
          { title: t('sub.dl.createdAt'), key: 'createdAt', render: (_, l) => formatTime(l.createdAt, lang) },
          {
            title: t('sub.dl.replayedAt'),
            key: 'replayedAt',
            render: (_, l) =>
              l.replayedAt ? (
                <Tag color="success">{formatTime(l.replayedAt, lang)}</Tag>
              ) : (
                <Tag>{t('sub.dl.notReplayed')}</Tag>
              ),
          },
          ...(operator
            ? [
                {
                  title: t('sub.actions'),
                  key: 'actions',
                  render: (_: unknown, l: DeadLetterView) => (
                    <Button
                      size="small"
                      loading={replaying === l.id}
                      onClick={() => replay(l)}
                      data-testid="dead-letter-replay"
                    >
                      {t('sub.dl.replay')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Drawer>
  );
}
