import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { type ReleaseReview, type ReviewStatus, releaseReviewApi } from '../../../api/release-reviews.js';
import { ReviewStatusTag } from '../../../components/check-report.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { formatTime } from '../../../components/format.js';
import { PageHeader } from '../../../components/page-header.js';
import { useI18n } from '../../../i18n/index.js';
import { ReleaseReviewDrawer } from './release-review-drawer.js';

/** 发布审核: sandbox answers (可用不可见) held for the organisation's stewards, pending first. */
export default function ReleaseReviewsPage() {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const [status, setStatus] = useState<ReviewStatus | 'all'>('pending');
  const [open, setOpen] = useState<ReleaseReview | null>(null);
  const list = useQuery({
    queryKey: ['release-reviews', 'provider', status],
    queryFn: () => releaseReviewApi.list('provider', status === 'all' ? undefined : status),
  });
  return (
    <div className="ht-page">
      <PageHeader title={t('rr.title')} subtitle={t('rr.subtitle')} />
      <Tabs
        activeKey={status}
        onChange={(k) => setStatus(k as ReviewStatus)}
        items={[
          { key: 'pending', label: t('rr.status.pending') },
          { key: 'approved', label: t('rr.status.approved') },
          { key: 'refused', label: t('rr.status.refused') },
          { key: 'all', label: t('rr.all') },
        ]}
      />
      {list.error && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      <Table<ReleaseReview>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('rr.empty') }}
        aria-label={t('rr.title')}
        data-testid="release-reviews"
        columns={[
          {
            title: t('rr.sql'),
            key: 'sql',
            render: (_, r) => (
              <Typography.Text code ellipsis style={{ maxWidth: 360 }}>
                {r.sql}
              </Typography.Text>
            ),
          },
          { title: t('rr.resources'), key: 'resources', render: (_, r) => r.resources.join('、') },
          {
            title: t('check.title'),
            key: 'failed',
            render: (_, r) =>
              r.check.checks
                .filter((c) => !c.passed)
                .map((c) => t(`check.${c.name}`))
                .join('；'),
          },
          { title: t('rr.rows'), dataIndex: 'rows', key: 'rows' },
          { title: t('rr.createdAt'), key: 'at', render: (_, r) => formatTime(r.createdAt, lang) },
          { title: t('rr.status'), key: 'status', render: (_, r) => <ReviewStatusTag status={r.status} /> },
          {
            title: '',
            key: 'open',
            render: (_, r) => (
              <Button
                size="small"
                type={r.status === 'pending' ? 'primary' : 'default'}
                onClick={() => setOpen(r)}
              >
                {t('rr.open')}
              </Button>
            ),
          },
        ]}
      />
      {open && (
        <ReleaseReviewDrawer
          review={open}
          onClose={() => setOpen(null)}
          onDecided={() => {
            setOpen(null);
            client.invalidateQueries({ queryKey: ['release-reviews'] });
          }}
        />
      )}
    </div>
  );
}
