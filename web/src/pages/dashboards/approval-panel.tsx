import { useQuery } from '@tanstack/react-query';
import { type AccessRequestStatus, sharingApi } from '../../api/sharing.js';
import { barOption } from '../../components/catalog/facet-charts.js';
import { EChart } from '../../components/echart.js';
import { ErrorAlert } from '../../components/error-result.js';
import { useI18n } from '../../i18n/index.js';

const STATUSES: AccessRequestStatus[] = [
  'pending',
  'approved',
  'partially_approved',
  'rejected',
  'withdrawn',
];

/** 审批时长: median and mean hours from filing to decision, and requests by status (GET /access-requests/stats). */
export function ApprovalPanel() {
  const { t } = useI18n();
  const stats = useQuery({ queryKey: ['request-stats'], queryFn: () => sharingApi.stats() });
  if (stats.error) return <ErrorAlert error={stats.error} onRetry={() => stats.refetch()} />;
  const s = stats.data;
  const hours = (h: number | null | undefined) =>
    h === null || h === undefined
      ? '—'
      : h < 48
        ? t('dash.hours', { n: h })
        : t('dash.days', { n: Math.round((h / 24) * 10) / 10 });
  const figures: [string, string][] = [
    [t('dash.medianTime'), hours(s?.decided.medianHours)],
    [t('dash.meanTime'), hours(s?.decided.meanHours)],
    [t('dash.decided'), String(s?.decided.count ?? '—')],
    [t('dash.waiting'), String(s?.pending.count ?? '—')],
  ];
  return (
    <div data-testid="approval-stats">
      <dl className="ht-screen-figures">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <EChart
        dark
        label={t('dash.byStatus')}
        height={150}
        option={barOption(
          STATUSES.map((status) => ({ name: t(`status.${status}`), value: s?.byStatus[status] ?? 0 })),
          '#36cfc9',
        )}
      />
    </div>
  );
}
