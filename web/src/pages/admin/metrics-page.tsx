import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Row, Statistic, Table, Tag } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { type MetricsView, operationsApi } from '../../api/operations.js';
import { EChart } from '../../components/echart.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatNumber } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';

const EVERY_MS = 5000;
// Five minutes of samples: enough to see a burst, small enough to keep in the page.
const KEEP = 60;
const MIB = 2 ** 20;

interface Sample {
  at: string;
  requests: number;
  rate: number;
  rss: number;
  heap: number;
  sandbox: number;
}

const totalRequests = (view: MetricsView) => view.http.reduce((sum, r) => sum + r.requests, 0);
const ms = (seconds: number | null) => (seconds === null ? '—' : (seconds * 1000).toFixed(1));

/** 运行监控: the figures Prometheus scrapes from /metrics, for the system administrator, as charts. */
export default function MetricsPage() {
  const { t, lang } = useI18n();
  const metrics = useQuery({
    queryKey: ['admin-metrics'],
    queryFn: operationsApi.metrics,
    refetchInterval: EVERY_MS,
  });
  const [samples, setSamples] = useState<Sample[]>([]);
  const view = metrics.data;

  // Rates come from the difference between two readings of the counters.
  useEffect(() => {
    if (!view) return;
    setSamples((previous) => {
      const last = previous.at(-1);
      const requests = totalRequests(view);
      const seconds = last ? (Date.parse(view.collectedAt) - Date.parse(last.at)) / 1000 : 0;
      const sample: Sample = {
        at: view.collectedAt,
        requests,
        rate: last && seconds > 0 ? Math.max(0, requests - last.requests) / seconds : 0,
        rss: view.process.residentMemoryBytes / MIB,
        heap: view.process.heapUsedBytes / MIB,
        sandbox: view.sandbox.memoryBytes / MIB,
      };
      return [...previous, sample].slice(-KEEP);
    });
  }, [view]);

  const times = samples.map((s) => new Date(s.at).toLocaleTimeString(lang));
  const rateOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      xAxis: { type: 'category', data: times },
      yAxis: { type: 'value' },
      series: [
        {
          name: t('ops.rateChart'),
          type: 'line',
          smooth: true,
          areaStyle: { opacity: 0.2 },
          data: samples.map((s) => Number(s.rate.toFixed(2))),
        },
      ],
    }),
    [samples, times, t],
  );
  const memoryOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: times },
      yAxis: { type: 'value' },
      series: [
        { name: t('ops.rss'), type: 'line', data: samples.map((s) => Number(s.rss.toFixed(1))) },
        { name: t('ops.heap'), type: 'line', data: samples.map((s) => Number(s.heap.toFixed(1))) },
        {
          name: t('ops.sandboxMemory'),
          type: 'line',
          data: samples.map((s) => Number(s.sandbox.toFixed(1))),
        },
      ],
    }),
    [samples, times, t],
  );
  const releases = view?.releases ?? [];
  const byResource = useMemo(() => {
    const rows = new Map<string, number>();
    for (const r of releases) rows.set(r.resource, (rows.get(r.resource) ?? 0) + r.rows);
    return [...rows.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  }, [releases]);
  const releasesOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: byResource.map(([code]) => code).reverse() },
      series: [{ name: t('ops.rows'), type: 'bar', data: byResource.map(([, n]) => n).reverse() }],
    }),
    [byResource, t],
  );

  const uptime = view
    ? t('ops.uptimeValue', {
        hours: Math.floor(view.process.uptimeSeconds / 3600),
        minutes: Math.floor((view.process.uptimeSeconds % 3600) / 60),
      })
    : '—';
  return (
    <div className="ht-page">
      <PageHeader title={t('ops.title')} subtitle={t('ops.subtitle')} />
      {metrics.error && <ErrorAlert error={metrics.error} onRetry={() => metrics.refetch()} />}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} md={4}>
          <Card>
            <Statistic
              title={t('ops.store')}
              valueRender={() =>
                view ? (
                  <Tag color={view.store.up ? 'green' : 'red'}>
                    {t(view.store.up ? 'ops.storeUp' : 'ops.storeDown')}
                  </Tag>
                ) : (
                  '—'
                )
              }
            />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card>
            <Statistic
              title={t('ops.requests')}
              value={view ? formatNumber(totalRequests(view), lang) : '—'}
            />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card>
            <Statistic
              title={t('ops.auditAppends')}
              value={view ? formatNumber(view.audit.appends, lang) : '—'}
            />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card>
            <Statistic title={t('ops.auditQueue')} value={view?.audit.queueDepth ?? '—'} />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card>
            <Statistic
              title={t('ops.sandbox')}
              value={view ? `${view.sandbox.busy} / ${view.sandbox.idle}` : '—'}
            />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card>
            <Statistic
              title={t('ops.memory')}
              value={view ? (view.process.residentMemoryBytes / MIB).toFixed(0) : '—'}
              suffix="MiB"
            />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} lg={12}>
          <Card title={t('ops.rateChart')} extra={`${t('ops.uptime')} ${uptime}`}>
            <EChart option={rateOption} label={t('ops.rateChart')} height={240} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('ops.memoryChart')}>
            <EChart option={memoryOption} label={t('ops.memoryChart')} height={240} />
          </Card>
        </Col>
      </Row>
      <Card title={t('ops.releasesChart')} style={{ marginBottom: 16 }}>
        {byResource.length ? (
          <EChart
            option={releasesOption}
            label={t('ops.releasesChart')}
            height={Math.max(160, byResource.length * 32)}
          />
        ) : (
          <Empty description={t('ops.none')} />
        )}
      </Card>
      <Card title={t('ops.routes')} style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey={(r) => `${r.method} ${r.route} ${r.status}`}
          loading={metrics.isPending}
          dataSource={view?.http ?? []}
          pagination={{ pageSize: 10 }}
          locale={{ emptyText: t('ops.none') }}
          columns={[
            { title: t('ops.route'), dataIndex: 'route', render: (r: string) => <code>{r}</code> },
            { title: t('ops.method'), dataIndex: 'method' },
            { title: t('ops.status'), dataIndex: 'status' },
            { title: t('ops.count'), dataIndex: 'requests', render: (n: number) => formatNumber(n, lang) },
            { title: t('ops.p50'), dataIndex: 'p50Seconds', render: ms },
            { title: t('ops.p95'), dataIndex: 'p95Seconds', render: ms },
          ]}
        />
      </Card>
      <Card title={t('ops.releases')} style={{ marginBottom: 16 }}>
        <Table
          size="small"
          rowKey={(r) => `${r.resource} ${r.format}`}
          dataSource={releases}
          pagination={{ pageSize: 10 }}
          locale={{ emptyText: t('ops.none') }}
          columns={[
            { title: t('ops.resource'), dataIndex: 'resource', render: (r: string) => <code>{r}</code> },
            { title: t('ops.format'), dataIndex: 'format' },
            {
              title: t('ops.releaseCount'),
              dataIndex: 'releases',
              render: (n: number) => formatNumber(n, lang),
            },
            { title: t('ops.rows'), dataIndex: 'rows', render: (n: number) => formatNumber(n, lang) },
            { title: t('ops.bytes'), dataIndex: 'bytes', render: (n: number) => formatNumber(n, lang) },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('ops.pools')}>
            <Table
              size="small"
              rowKey={(p) => p.source}
              dataSource={view?.sources.pools ?? []}
              pagination={false}
              locale={{ emptyText: t('ops.none') }}
              columns={[
                {
                  title: t('ops.source'),
                  dataIndex: 'source',
                  render: (s: string) => <code>{s.slice(0, 8)}</code>,
                },
                { title: t('ops.kind'), dataIndex: 'kind' },
                { title: t('ops.poolTotal'), dataIndex: 'total' },
                { title: t('ops.poolIdle'), dataIndex: 'idle' },
                { title: t('ops.poolWaiting'), dataIndex: 'waiting' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('ops.sourceErrors')}>
            <Table
              size="small"
              rowKey={(e) => `${e.kind} ${e.code}`}
              dataSource={view?.sources.errors ?? []}
              pagination={false}
              locale={{ emptyText: t('ops.none') }}
              columns={[
                { title: t('ops.kind'), dataIndex: 'kind' },
                { title: t('ops.errorCode'), dataIndex: 'code', render: (c: string) => <code>{c}</code> },
                { title: t('ops.count'), dataIndex: 'count' },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
