import { Space, Tag, Tooltip } from 'antd';
import type { ChannelView, SubscriptionStatus } from '../../../api/subscriptions.js';
import type { MessageKey, Translate } from '../../../i18n/index.js';

// The subscription's words shared by the consumer's page, its drawer and the provider's list:
// status badges, pause reasons and delivery errors are stable codes from the API, named here.

const STATUS_COLOURS: Record<SubscriptionStatus, string> = {
  snapshot: 'processing',
  active: 'success',
  paused: 'warning',
};

const REASONS = new Set([
  'consumer',
  'grant_revoked',
  'grant_suspended',
  'grant_expired',
  'grant_not_yet_valid',
  'no_grant',
  'api_key_revoked',
  'api_key_expired',
  'resource_not_found',
  'detail_not_allowed',
  'method_not_offered',
  'forbidden',
  'not_found',
]);

const ERRORS = new Set([
  'webhook_unreachable',
  'webhook_timeout',
  'webhook_redirect',
  'webhook_closed',
  'webhook_url_invalid',
  'webhook_config_invalid',
  'webhook_destination_not_allowed',
  'nats_unavailable',
  'nats_timeout',
  'nats_payload_too_large',
  'nats_stream_conflict',
  'staging_unreachable',
  'staging_auth_failed',
  'staging_database_missing',
  'staging_schema_missing',
  'staging_table_conflict',
  'staging_permission_denied',
  'staging_value_rejected',
  'staging_write_failed',
  'staging_column_invalid',
  'staging_event_invalid',
  'staging_destination_not_allowed',
  'channel_secret_missing',
]);

/** Why a subscription is paused, in words (an unknown code: "other", the code in the tooltip). */
export function reasonLabel(t: Translate, reason: string): string {
  return REASONS.has(reason) ? t(`sub.reason.${reason}` as MessageKey) : t('sub.reason.other');
}

/** A delivery failure's code (`webhook_status_500`, `staging_unreachable`, …) in words. */
export function errorLabel(t: Translate, code: string): string {
  const status = /^webhook_status_(\d+)$/.exec(code);
  if (status) return t('sub.error.webhook_status', { status: status[1]! });
  return ERRORS.has(code) ? t(`sub.error.${code}` as MessageKey) : t('sub.error.other');
}

/** 快照中 / 正常 / 已暂停, with the pause reason beside it. */
export function StatusBadge({ t, status, reason }: { t: Translate; status: string; reason: string | null }) {
  const known = status in STATUS_COLOURS;
  return (
    <Space size={4} wrap>
      <Tag color={known ? STATUS_COLOURS[status as SubscriptionStatus] : 'default'} data-testid="sub-status">
        {known ? t(`sub.status.${status}` as MessageKey) : status}
      </Tag>
      {status === 'paused' && reason && (
        <Tooltip title={reason}>
          <Tag data-testid="sub-reason">{reasonLabel(t, reason)}</Tag>
        </Tooltip>
      )}
    </Space>
  );
}

/** 拉取 / 回调（Webhook）/ 消息队列（NATS）/ 前置库. */
export function channelLabel(t: Translate, kind: string): string {
  return ['pull', 'webhook', 'nats', 'staging'].includes(kind)
    ? t(`sub.channel.${kind}` as MessageKey)
    : kind;
}

/** Where a channel delivers: the webhook's address, the NATS subject, the staging table. */
export function channelTarget(t: Translate, channel: ChannelView): string {
  switch (channel.kind) {
    case 'pull':
      return t('sub.pullTarget');
    case 'webhook':
      return channel.url ?? '';
    case 'nats':
      return t('sub.natsTarget', { subject: channel.subject ?? '' });
    case 'staging':
      return t('sub.stagingTarget', {
        dialect: channel.dialect === 'mysql' ? 'MySQL' : 'PostgreSQL',
        host: channel.host ?? '',
        port: channel.port ?? '',
        database: channel.database ?? '',
        table: channel.schema ? `${channel.schema}.${channel.table ?? ''}` : (channel.table ?? ''),
      });
  }
}
