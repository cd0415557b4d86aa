import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Select, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { type BaselineConsumer, type ConsumerBaseline, warningApi } from '../../api/warning.js';
import { EChart } from '../../components/echart.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatDate, formatNumber } from '../../components/format.js';
import { useI18n } from '../../i18n/index.js';

const nameOf = (c: { name: string | null; consumer: string }, unnamed: string) => c.name ?? unnamed;

/** An hour as the chart's axis reads it: month, day and hour in the UI's language. */
function hourLabel(iso: string, lang: string): string {
  return new Date(iso).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hour12: false,
  });
}

/**
 * 调用基线: a consumer (searched by its application's, person's or organisation's name), its
 * releases per hour over the last seven days against the baseline the volume rule learnt for each
 * hour of the week, and the threshold that opens an alert (docs/warning.md).
 */
export function WarningBaselines() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [picked, setPicked] = useState<string | undefined>();
  const consumers = useQuery({
    queryKey: ['warning', 'baselines', q],
    queryFn: () => warningApi.baselineConsumers(q || undefined),
    placeholderData: keepPreviousData,
  });
  // The busiest consumer is shown until the officer picks another.
  useEffect(() => {
    if (!picked && !q && consumers.data?.[0]) setPicked(consumers.data[0].consumer);
  }, [picked, q, consumers.data]);
  const baseline = useQuery({
    queryKey: ['warning', 'baseline', picked],
    queryFn: () => warningApi.baseline(picked!),
    enabled: picked !== undefined,
  });
  const unnamed = t('warn.baseline.unnamed');
  const option = (c: BaselineConsumer) => ({
    value: c.consumer,
    label: t('warn.baseline.option', {
      name: nameOf(c, unnamed),
      org: c.organization ?? '—',
      releases: formatNumber(c.releases, 'zh-CN'),
    }),
  });
  if (consumers.data?.length === 0 && !q)
    return <Empty description={t('warn.baseline.none')} data-testid="warning-baselines" />;
  return (
    <div data-testid="warning-baselines" style={{ display: 'grid', gap: 16 }}>
      {consumers.error && <ErrorAlert error={consumers.error} onRetry={() => consumers.refetch()} />}
      <div style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
        <label htmlFor="warning-baseline-consumer">{t('warn.baseline.pick')}</label>
        <Select
          id="warning-baseline-consumer"
          data-testid="warning-baseline-consumer"
          showSearch={{ filterOption: false, onSearch: setQ }}
          style={{ flex: '1 1 240px', maxWidth: 480 }}
          placeholder={t('warn.baseline.placeholder')}
          loading={consumers.isFetching}
          value={picked}
          onChange={(v) => {
            setPicked(v);
            setQ('');
          }}
          options={(consumers.data ?? []).map(option)}
          notFoundContent={t('warn.baseline.none')}
        />
      </div>
      {baseline.error && <ErrorAlert error={baseline.error} onRetry={() => baseline.refetch()} />}
      {!picked && <Empty description={t('warn.baseline.choose')} />}
      {baseline.data && <BaselineChart view={baseline.data} />}
    </div>
  );
}

/** The consumer's releases per hour (bars), its baseline and its threshold (lines), with the rule in words. */
function BaselineChart({ view }: { view: ConsumerBaseline }) {
  const { t, lang } = useI18n();
  const name = view.name ?? t('warn.baseline.unnamed');
  const label = t('warn.baseline.chart', { name });
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 56 },
      xAxis: {
        type: 'category',
        data: view.hours.map((h) => hourLabel(h.hour, lang)),
        axisLabel: { interval: 23, rotate: 30 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('warn.baseline.releases'),
          type: 'bar',
          itemStyle: { color: '#1677ff' },
          data: view.hours.map((h) =>
            h.threshold !== null && h.releases >= h.threshold
              ? { value: h.releases, itemStyle: { color: '#f5222d' } }
              : h.releases,
          ),
        },
        {
          name: t('warn.baseline.mean'),
          type: 'line',
          step: 'middle',
          showSymbol: false,
          itemStyle: { color: '#52c41a' },
          data: view.hours.map((h) => h.baseline),
        },
        {
          name: t('warn.baseline.threshold'),
          type: 'line',
          step: 'middle',
          showSymbol: false,
          lineStyle: { type: 'dashed' },
          itemStyle: { color: '#fa8c16' },
          data: view.hours.map((h) => h.threshold),
        },
      ],
    }),
    [view, t, lang],
  );
  const { settings } = view;
  const learning = view.historyWeeks < settings.minWeeks;
  return (
    <Card size="small" title={label} data-testid="warning-baseline-chart">
      <EChart option={option} label={label} height={320} />
      <div style={{ display: 'grid', gap: 8, marginTop: 8 }}>
        <Typography.Text type="secondary">
          {t('warn.baseline.rule', {
            minReleases: settings.minReleases,
            factor: settings.factor,
            weeks: settings.weeks,
            minWeeks: settings.minWeeks,
          })}
        </Typography.Text>
        <Typography.Text>
          {t('warn.baseline.history', {
            since: formatDate(view.firstHour, lang) ?? '',
            weeks: view.historyWeeks,
          })}
        </Typography.Text>
        {!view.enabled ? (
          <Alert type="info" showIcon title={t('warn.baseline.off')} />
        ) : learning ? (
          <Alert type="info" showIcon title={t('warn.baseline.learning', { minWeeks: settings.minWeeks })} />
        ) : view.hoursAbove > 0 ? (
          <Alert type="warning" showIcon title={t('warn.baseline.above', { hours: view.hoursAbove })} />
        ) : (
          <Alert type="success" showIcon title={t('warn.baseline.calm')} />
        )}
      </div>
    </Card>
  );
}
