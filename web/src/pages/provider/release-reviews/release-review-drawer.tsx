import { useMutation, useQuery } from '@tanstack/react-query';
import { App as AntApp, Button, Descriptions, Drawer, Form, Input, Space, Typography } from 'antd';
import { type ReleaseReview, releaseReviewApi } from '../../../api/release-reviews.js';
import { CheckReportView, ReviewStatusTag } from '../../../components/check-report.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { useI18n } from '../../../i18n/index.js';
import { ResultsGrid } from '../../workbench/sql/results-grid.js';

/**
 * One held answer: the query, the check report and the held rows (reading them is an audited
 * release to the steward), then approve, or refuse with a reason.
 */
export function ReleaseReviewDrawer({
  review,
  onClose,
  onDecided,
}: {
  review: ReleaseReview;
  onClose: () => void;
  onDecided: () => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const rows = useQuery({
    queryKey: ['release-review', review.id],
    queryFn: () => releaseReviewApi.result(review.id),
  });
  const decide = useMutation({
    mutationFn: async (status: 'approved' | 'refused') => {
      const reason = (form.getFieldValue('reason') ?? '').trim();
      if (status === 'refused') await form.validateFields();
      return status === 'approved'
        ? releaseReviewApi.approve(review.id, reason)
        : releaseReviewApi.refuse(review.id, reason);
    },
    onSuccess: (r) => {
      message.success(t(r.status === 'approved' ? 'rr.approved' : 'rr.refused'));
      onDecided();
    },
  });
  const pending = review.status === 'pending';
  return (
    <Drawer open width={880} title={t('rr.drawer')} onClose={onClose} destroyOnHidden>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('rr.status')}>
          <ReviewStatusTag status={review.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('rr.resources')}>{review.resources.join('、')}</Descriptions.Item>
        <Descriptions.Item label={t('rr.sql')}>
          <Typography.Paragraph code copyable style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
            {review.sql}
          </Typography.Paragraph>
        </Descriptions.Item>
        {review.reason ? <Descriptions.Item label={t('rr.reason')}>{review.reason}</Descriptions.Item> : null}
      </Descriptions>
      <div style={{ marginTop: 16 }}>
        <CheckReportView report={review.check} reviewId={review.id} />
      </div>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('rr.heldRows')}
      </Typography.Title>
      {rows.error && <ErrorAlert error={rows.error} />}
      {rows.data && <ResultsGrid result={rows.data} />}
      {decide.error && <ErrorAlert error={decide.error} />}
      {pending && (
        <Form form={form} layout="vertical" style={{ marginTop: 16 }}>
          <Form.Item
            name="reason"
            label={`${t('rr.refuseReason')} / ${t('rr.approveComment')}`}
            rules={[{ required: true, whitespace: true, message: t('rr.refuseReasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} data-testid="review-reason" />
          </Form.Item>
          <Space>
            <Button
              type="primary"
              loading={decide.isPending}
              onClick={() => decide.mutate('approved')}
              data-testid="review-approve"
            >
              {t('rr.approve')}
            </Button>
            <Button
              danger
              loading={decide.isPending}
              onClick={() => decide.mutate('refused')}
              data-testid="review-refuse"
            >
              {t('rr.refuse')}
            </Button>
          </Space>
        </Form>
      )}
    </Drawer>
  );
}
