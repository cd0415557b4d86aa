import { Descriptions, Tag, Typography } from 'antd';
import type { RemoteRequestStatus, RemoteRequestView } from '../../api/federation.js';
import { formatDate, formatTime } from '../../components/format.js';
import { type MessageKey, type Translate, useI18n } from '../../i18n/index.js';

const STATUS_COLOR: Record<RemoteRequestStatus, string> = {
  sending: 'warning',
  pending: 'processing',
  approved: 'success',
  partially_approved: 'cyan',
  rejected: 'error',
  withdrawn: 'default',
  failed: 'error',
};

/** A remote request's status: the provider's own, or 发送中 / 发送失败 on this node. */
export function RemoteStatusTag({ t, status }: { t: Translate; status: RemoteRequestStatus }) {
  const label =
    status === 'sending' || status === 'failed' ? t(`fedreq.status.${status}`) : t(`status.${status}`);
  return (
    <Tag color={STATUS_COLOR[status]} data-testid="rr-status">
      {label}
    </Tag>
  );
}

/** The cross-node read of a granted resource, through this node (docs/federation.md). */
export const rowsPath = (r: RemoteRequestView) =>
  `/api/v1/federation/nodes/${r.providerNodeId}/resources/${r.resourceCode}/rows`;

/**
 * A remote request in full: what was asked, the provider's decision (the granted items with their
 * masks and period, or 不予共享理由 and its text), when the provider was last asked and why that
 * failed, and for a grant how the application reads the rows.
 */
export function RemoteRequestDetails({ request: r }: { request: RemoteRequestView }) {
  const { t, lang } = useI18n();
  const d = r.decision;
  const granted = d?.grant && (r.status === 'approved' || r.status === 'partially_approved');
  return (
    <Descriptions
      size="small"
      column={{ xs: 1, md: 2 }}
      data-testid="rr-details"
      items={[
        { key: 'p', label: t('apply.purpose'), children: r.purpose },
        { key: 'c', label: t('req.created'), children: formatTime(r.createdAt, lang) },
        {
          key: 'i',
          label: t('fedreq.asked'),
          span: 2,
          children: r.items.map((i) => <Tag key={i}>{i}</Tag>),
        },
        ...(d?.grant
          ? [
              {
                key: 'g',
                label: t('fedreq.granted'),
                span: 2,
                children: (
                  <span data-testid="rr-granted">
                    {d.grant.items.map((i) => (
                      <Tag key={i.name}>
                        {i.name} · {t(`mask.${i.mask}` as MessageKey)}
                      </Tag>
                    ))}
                  </span>
                ),
              },
              {
                key: 'v',
                label: t('req.period'),
                children: `${formatDate(d.grant.validFrom, lang)} – ${formatDate(d.grant.validUntil, lang)}`,
              },
            ]
          : []),
        ...(d ? [{ key: 'd', label: t('fedreq.decidedAt'), children: formatTime(d.decidedAt, lang) }] : []),
        ...(granted
          ? [
              {
                key: 'read',
                label: t('fedreq.read'),
                span: 2,
                children: (
                  <div data-testid="rr-read">
                    <div>{t('fedreq.readHint')}</div>
                    <Typography.Text code copyable={{ text: rowsPath(r) }}>
                      GET {rowsPath(r)}
                    </Typography.Text>
                  </div>
                ),
              },
            ]
          : []),
        ...(d?.rejection
          ? [
              {
                key: 'r',
                label: t('fedreq.rejection'),
                span: 2,
                children: (
                  <span data-testid="rr-rejection">
                    {t(`reason.${d.rejection.reason}`)}：{d.rejection.text}
                  </span>
                ),
              },
            ]
          : []),
        {
          key: 'k',
          label: t('fedreq.checkedAt'),
          children: r.checkedAt ? formatTime(r.checkedAt, lang) : t('fedreq.neverChecked'),
        },
        ...(r.checkError
          ? [
              {
                key: 'e',
                label: t('fedreq.checkError'),
                span: 2,
                children: (
                  <Typography.Text type="danger" data-testid="rr-check-error">
                    {r.status === 'sending' ? t('fedreq.sendingHint') : t('fedreq.checkErrorHint')}{' '}
                    <code>{r.checkError}</code>
                  </Typography.Text>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}
