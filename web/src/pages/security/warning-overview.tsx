import { Button, Card, Col, Empty, Row, Statistic, Tag, Timeline, Typography } from 'antd';
import { useMemo } from 'react';
import type { AlertEvent, Severity, WarningSummary } from '../../api/warning.js';
import { EChart } from '../../components/echart.js';
import { formatTime } from '../../components/format.js';
import { type MessageKey, useI18n } from '../../i18n/index.js';

/** The severities, the gravest first (as the officer reads them). */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const SEVERITY_TAGS: Record<Severity, string> = {
  low: 'default',
  medium: 'gold',
  high: 'orange',
  critical: 'red',
};
const SEVERITY_COLOURS: Record<Severity, string> = {
  low: '#595959',
  medium: '#faad14',
  high: '#fa8c16',
  critical: '#f5222d',
};

/** At a glance: the open alerts of each severity, and those acknowledged but not yet resolved. */
export function WarningGlance({
  summary,
  onShow,
}: {
  summary: WarningSummary | undefined;
  onShow: (severity: Severity) => void;
}) {
  const { t } = useI18n();
  return (
    <section aria-label={t('warn.glance')} data-testid="warning-glance" style={{ marginBottom: 16 }}>
      <Row gutter={[12, 12]}>
        {SEVERITIES.map((s) => {
          const severity = t(`warn.severity.${s}` as MessageKey);
          const open = summary?.open[s] ?? 0;
          return (
            <Col key={s} xs={12} md={6}>
              <Card size="small" data-testid={`warning-glance-${s}`}>
                <Statistic
                  title={<Tag color={SEVERITY_TAGS[s]}>{t('warn.glance.card', { severity })}</Tag>}
                  value={open}
                  loading={!summary}
                  styles={{ content: { color: open > 0 ? SEVERITY_COLOURS[s] : undefined } }}
                />
                <Typography.Text type="secondary">
                  {t('warn.glance.acknowledged', { count: summary?.acknowledged[s] ?? 0 })}
                </Typography.Text>
                <div>
                  <Button
                    type="link"
                    size="small"
                    style={{ paddingInline: 0 }}
                    disabled={open === 0}
                    onClick={() => onShow(s)}
                  >
                    {t('warn.glance.show', { severity })}
                  </Button>
                </div>
              </Card>
            </Col>
          );
        })}
      </Row>
    </section>
  );
}

function eventText(e: AlertEvent, t: ReturnType<typeof useI18n>['t']): string {
  return t(`warn.event.${e.kind}` as MessageKey);
}

/** Alerts per day by severity over the summary's days, and the latest events of the alerts. */
export function WarningTrend({ summary }: { summary: WarningSummary }) {
  const { t, lang } = useI18n();
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: summary.daily.map((d) => d.day.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [...SEVERITIES].reverse().map((s) => ({
        name: t(`warn.severity.${s}` as MessageKey),
        type: 'bar',
        stack: 'alerts',
        itemStyle: { color: SEVERITY_COLOURS[s] },
        data: summary.daily.map((d) => d[s]),
      })),
    }),
    [summary, t],
  );
  const total = summary.daily.reduce((n, d) => n + d.low + d.medium + d.high + d.critical, 0);
  const label = t('warn.daily.title', { days: summary.days });
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={15}>
        <Card size="small" title={label} data-testid="warning-daily">
          {total > 0 ? (
            <EChart option={option} label={label} height={280} />
          ) : (
            <Empty description={t('warn.daily.none', { days: summary.days })} />
          )}
        </Card>
      </Col>
      <Col xs={24} xl={9}>
        <Card size="small" title={t('warn.events.title')} data-testid="warning-events">
          {summary.events.length === 0 ? (
            <Empty description={t('warn.events.none')} />
          ) : (
            <Timeline
              aria-label={t('warn.events.title')}
              items={summary.events.map((e) => ({
                key: `${e.alertId}-${e.kind}`,
                color:
                  e.kind === 'resolved'
                    ? 'green'
                    : e.kind === 'opened'
                      ? SEVERITY_COLOURS[e.severity]
                      : 'blue',
                content: (
                  <>
                    <div>
                      <Tag color={SEVERITY_TAGS[e.severity]}>
                        {t(`warn.severity.${e.severity}` as MessageKey)}
                      </Tag>
                      {eventText(e, t)}
                    </div>
                    <Typography.Text type="secondary">
                      {[formatTime(e.at, lang), e.by ?? t('warn.event.detector')].join(' · ')}
                    </Typography.Text>
                    <div>{e.title}</div>
                    {e.note && <Typography.Text italic>{e.note}</Typography.Text>}
                  </>
                ),
              }))}
            />
          )}
        </Card>
      </Col>
    </Row>
  );
}
