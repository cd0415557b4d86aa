import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, List, Space, Tag, Typography } from 'antd';
import type { CheckReport } from '../api/release-reviews.js';
import { useI18n } from '../i18n/index.js';

/** The output check report of a sandbox answer (可用不可见): the outcome, k, and each check. */
export function CheckReportView({ report, reviewId }: { report: CheckReport; reviewId?: string }) {
  const { t } = useI18n();
  const released = report.outcome === 'released';
  return (
    <section aria-label={t('check.title')} data-testid="check-report">
      <Alert
        type={released ? 'success' : 'warning'}
        showIcon
        message={
          <Space wrap>
            <Tag color="blue">{t('check.mode')}</Tag>
            <span>{t(released ? 'check.released' : 'check.held')}</span>
            {reviewId ? (
              <Typography.Text type="secondary">
                {t('check.reviewId')} {reviewId.slice(0, 8)}
              </Typography.Text>
            ) : null}
          </Space>
        }
        description={
          <Space wrap>
            <span>{t('check.k', { k: report.minGroupSize })}</span>
            <span>{t('check.suppressed', { n: report.suppressedRows })}</span>
          </Space>
        }
      />
      <List
        size="small"
        header={<Typography.Text strong>{t('check.title')}</Typography.Text>}
        dataSource={report.checks}
        renderItem={(check) => (
          <List.Item>
            <List.Item.Meta
              avatar={
                check.passed ? (
                  <CheckCircleFilled style={{ color: '#389e0d' }} aria-label={t('check.passed')} />
                ) : (
                  <CloseCircleFilled style={{ color: '#cf1322' }} aria-label={t('check.failed')} />
                )
              }
              title={t(`check.${check.name}`)}
              description={check.detail}
            />
          </List.Item>
        )}
      />
    </section>
  );
}

/** The status of a release review as a coloured tag. */
export function ReviewStatusTag({ status }: { status: 'pending' | 'approved' | 'refused' }) {
  const { t } = useI18n();
  const color = status === 'approved' ? 'green' : status === 'refused' ? 'red' : 'gold';
  return <Tag color={color}>{t(`rr.status.${status}`)}</Tag>;
}
