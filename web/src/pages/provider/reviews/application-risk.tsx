import { useQuery } from '@tanstack/react-query';
import { Alert, Progress, Space, Typography } from 'antd';
import { warningApi } from '../../../api/warning.js';
import { useSession } from '../../../auth/session.js';
import { formatNumber } from '../../../components/format.js';
import { useI18n } from '../../../i18n/index.js';

const COLOURS = { none: '#52c41a', low: '#1677ff', medium: '#faad14', high: '#ff4d4f' } as const;
const TYPES = { none: 'success', low: 'info', medium: 'warning', high: 'error' } as const;

/**
 * The risk score of the application a request comes from (安全预警): 0–100 and the rules behind
 * it, so the steward weighs the applicant's recent alerts before deciding. Shown only to those the
 * platform lets read it (stewards, security officers, auditors).
 */
export function ApplicationRisk({ applicationId }: { applicationId: string }) {
  const { t, lang } = useI18n();
  const allowed = useSession().hasRole('data_steward', 'security_officer', 'auditor');
  const risk = useQuery({
    queryKey: ['warning-risk', applicationId],
    queryFn: () => warningApi.risk(applicationId),
    enabled: allowed,
    retry: false,
  });
  if (!allowed || !risk.data) return null;
  const { score, level, reasons, days } = risk.data;
  return (
    <Alert
      data-testid="application-risk"
      style={{ marginBottom: 12 }}
      type={TYPES[level]}
      showIcon
      title={
        <Space wrap>
          <Typography.Text strong>{t('warn.risk.title')}</Typography.Text>
          <Progress
            type="circle"
            size={36}
            percent={score}
            strokeColor={COLOURS[level]}
            format={() => formatNumber(score, lang)}
            aria-label={t('warn.risk.score', { score: formatNumber(score, lang) })}
          />
          <Typography.Text>{t(`warn.risk.level.${level}`)}</Typography.Text>
        </Space>
      }
      description={
        reasons.length === 0 ? (
          t('warn.risk.quiet', { days })
        ) : (
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {reasons.map((r) => (
              <li key={r.rule}>
                {t('warn.risk.reason', {
                  rule: r.title,
                  alerts: formatNumber(r.alerts, lang),
                  points: formatNumber(r.points, lang),
                })}
              </li>
            ))}
          </ul>
        )
      }
    />
  );
}
