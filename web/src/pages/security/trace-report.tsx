import { Alert, Space, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Suspect, TraceReport } from '../../api/tracing.js';
import { useSession } from '../../auth/session.js';
import { useI18n } from '../../i18n/index.js';

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** A probability as a person reads it: 0.042, or 3.2 × 10⁻⁴¹ (no Latin "e" in the UI). */
export function formatProbability(p: number): string {
  if (p === 0) return '0';
  if (p >= 0.001) return String(Number(p.toPrecision(3)));
  const exponent = Math.floor(Math.log10(p));
  const mantissa = Number((p / 10 ** exponent).toFixed(1));
  const power = `10⁻${String(-exponent).replace(/\d/g, (d) => SUPERSCRIPT[Number(d)]!)}`;
  return mantissa === 1 ? power : `${mantissa} × ${power}`;
}

/** What a trace found: per resource the accusation threshold, then the ranked suspects. */
export function TraceReportView({ report, fileName }: { report: TraceReport; fileName: string }) {
  const { t } = useI18n();
  const { hasRole } = useSession();
  // The audit log page is the auditors' (and organisation admins'); others see the entry numbers.
  const auditLog = hasRole('auditor') || hasRole('org_admin');
  const accused = report.suspects.filter((s) => s.accused).length;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="trace-report">
      <Typography.Text>{t('trace.file', { name: fileName, rows: report.rows })}</Typography.Text>
      {report.resources.map((r) => (
        <Alert
          key={r.code}
          type="info"
          showIcon
          title={t('trace.resource', {
            name: r.name,
            key: r.keyColumn,
            columns: r.tolerantColumns.join('、'),
          })}
          description={t('trace.threshold', {
            threshold: r.threshold.toFixed(1),
            positions: r.positions,
            candidates: r.candidates,
            epsilon: formatProbability(report.epsilon),
          })}
        />
      ))}
      <Alert
        type={accused > 0 ? 'warning' : 'success'}
        showIcon
        title={accused > 0 ? t('trace.someAccused', { count: accused }) : t('trace.noneAccused')}
      />
      <Table<Suspect>
        data-testid="trace-suspects"
        rowKey={(s) => `${s.resource}/${s.recipient}`}
        dataSource={report.suspects}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('trace.rank'), key: 'rank', render: (_, __, i) => i + 1 },
          {
            title: t('trace.organization'),
            key: 'organization',
            render: (_, s) => s.organization.name ?? t('trace.unnamed'),
          },
          {
            title: t('trace.recipient'),
            key: 'recipient',
            render: (_, s) => (
              <Space orientation="vertical" size={0}>
                <Space size={4}>
                  <Tag>{s.kind === 'application' ? t('trace.application') : t('trace.user')}</Tag>
                  {s.name ?? t('trace.unnamed')}
                </Space>
                {/* The keys that took the copies, and who created each: the people to ask. */}
                {s.keys.map((k) => (
                  <Typography.Text
                    key={k.id}
                    type="secondary"
                    style={{ display: 'inline-block', maxWidth: '16em' }}
                  >
                    {t('trace.key', {
                      name: k.name ?? t('trace.unnamed'),
                      by: k.createdBy ?? t('trace.unnamed'),
                    })}
                  </Typography.Text>
                ))}
              </Space>
            ),
          },
          { title: t('trace.score'), key: 'score', render: (_, s) => s.score.toFixed(1) },
          {
            title: t('trace.probability'),
            key: 'probability',
            render: (_, s) => formatProbability(s.innocentProbability),
          },
          {
            title: t('trace.accused'),
            key: 'accused',
            render: (_, s) =>
              s.accused ? (
                <Tag color="red">{t('trace.accused.yes')}</Tag>
              ) : (
                <Tag>{t('trace.accused.no')}</Tag>
              ),
          },
          {
            title: t('trace.releases'),
            key: 'releases',
            render: (_, s) => (
              <Space orientation="vertical" size={0}>
                {s.releases.map((r) => {
                  const text = t('trace.release', {
                    index: r.index,
                    time: new Date(r.time).toLocaleString(),
                  });
                  return auditLog ? (
                    <Link key={r.index} to="/audit/log">
                      {text}
                    </Link>
                  ) : (
                    <span key={r.index}>{text}</span>
                  );
                })}
              </Space>
            ),
          },
        ]}
      />
    </Space>
  );
}
