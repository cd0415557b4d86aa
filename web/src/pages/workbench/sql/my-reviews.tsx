import { useQuery } from '@tanstack/react-query';
import { Button, Table, Typography } from 'antd';
import { type HeldResult, type ReleaseReview, releaseReviewApi } from '../../../api/release-reviews.js';
import { ReviewStatusTag } from '../../../components/check-report.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { formatTime } from '../../../components/format.js';
import { useI18n } from '../../../i18n/index.js';

/**
 * 我的发布审核: the caller's organisation's sandbox answers held for review, their status and
 * reason; an approved one is read (an audited release) into the workbench's grid.
 */
export function MyReviews({ onResult }: { onResult: (r: HeldResult) => void }) {
  const { t, lang } = useI18n();
  const list = useQuery({
    queryKey: ['release-reviews', 'requester'],
    queryFn: () => releaseReviewApi.list('requester'),
  });
  const load = async (id: string) => onResult(await releaseReviewApi.result(id));
  return (
    <>
      {list.error && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      <Table<ReleaseReview>
        size="small"
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 5, showSizeChanger: false }}
        locale={{ emptyText: t('rr.mineEmpty') }}
        aria-label={t('rr.mine')}
        data-testid="my-reviews"
        columns={[
          {
            title: t('rr.sql'),
            key: 'sql',
            render: (_, r) => (
              <Typography.Text code ellipsis style={{ maxWidth: 220 }}>
                {r.sql}
              </Typography.Text>
            ),
          },
          { title: t('rr.status'), key: 'status', render: (_, r) => <ReviewStatusTag status={r.status} /> },
          { title: t('rr.reason'), dataIndex: 'reason', key: 'reason' },
          { title: t('rr.createdAt'), key: 'at', render: (_, r) => formatTime(r.createdAt, lang) },
          {
            title: '',
            key: 'load',
            render: (_, r) =>
              r.status === 'approved' ? (
                <Button size="small" onClick={() => load(r.id)}>
                  {t('rr.load')}
                </Button>
              ) : null,
          },
        ]}
      />
    </>
  );
}
