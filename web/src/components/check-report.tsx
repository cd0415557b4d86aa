import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, List, Space, Tag, Typography } from 'antd';
import type { CheckReport, NoiseReport } from '../api/release-reviews.js';
import { useI18n } from '../i18n/index.js';
import { reasonTexts } from './check-reasons.js';
import { formatNumber } from './format.js';

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
      {report.noise ? <NoiseView noise={report.noise} /> : null}
      <List
        size="small"
        header={<Typography.Text strong>{t('check.title')}</Typography.Text>}
        dataSource={report.checks}
        renderItem={(check) => {
          const reasons = reasonTexts(check, t);
          return (
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
                description={
                  reasons.length === 1 ? (
                    reasons[0]
                  ) : (
                    <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                      {reasons.map((text, i) => (
                        // The same reason may come twice (two max() calls): the position tells them apart.
                        // biome-ignore lint/suspicious/noArrayIndexKey: the list is fixed for a report
                        <li key={i}>{text}</li>
                      ))}
                    </ul>
                  )
                }
              />
            </List.Item>
          );
        }}
      />
    </section>
  );
}

/** 结果加噪: the ε of the answer, what is left of the budget, and each noised column's spread. */
function NoiseView({ noise }: { noise: NoiseReport }) {
  const { t, lang } = useI18n();
  const n = (x: number) => formatNumber(x, lang);
  return (
    <Alert
      type="info"
      showIcon
      data-testid="noise-report"
      style={{ marginTop: 8 }}
      message={
        <Space wrap>
          <Tag color="purple">{t('check.noise')}</Tag>
          <span>
            {t('check.noiseEpsilon', {
              perAggregate: n(noise.epsilon.perAggregate),
              spent: n(noise.epsilon.spent),
              today: n(noise.epsilon.remainingToday),
              total: n(noise.epsilon.remainingTotal),
            })}
          </span>
        </Space>
      }
      description={
        noise.columns.length > 0 ? (
          <>
            <div>{t('check.noiseHint')}</div>
            <Space wrap>
              {noise.columns.map((c) => (
                <Tag key={c.name}>
                  {c.aggregate === 'avg'
                    ? t('check.noiseAvg', {
                        name: c.name,
                        stddev: n(c.noiseStddev),
                        count: n(c.countNoiseStddev ?? 0),
                      })
                    : t('check.noiseColumn', {
                        name: c.name,
                        aggregate: t(`check.aggregate.${c.aggregate}`),
                        stddev: n(c.noiseStddev),
                      })}
                </Tag>
              ))}
            </Space>
          </>
        ) : undefined
      }
    />
  );
}

/** The status of a release review as a coloured tag. */
export function ReviewStatusTag({ status }: { status: 'pending' | 'approved' | 'refused' }) {
  const { t } = useI18n();
  const color = status === 'approved' ? 'green' : status === 'refused' ? 'red' : 'gold';
  return <Tag color={color}>{t(`rr.status.${status}`)}</Tag>;
}
