import { Tag } from 'antd';
import { type MessageKey, useI18n } from '../../i18n/index.js';

const STATUS_COLOR: Record<string, string> = {
  active: 'success',
  suspended: 'warning',
  revoked: 'error',
  pending: 'processing',
  rejected: 'default',
};

/** A node's or a join request's status, as a coloured tag. */
export function NodeStatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status] ?? 'default'}>{t(`fed.status.${status}` as MessageKey)}</Tag>;
}
