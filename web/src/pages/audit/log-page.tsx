import { DownloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Select, Space, Table, Tabs } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { type AuditEntry, type AuditFilter, auditApi, entriesCsvUrl } from '../../api/audit.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { EntryDrawer } from './entry-drawer.js';
import { actorName, EMPTY_NAMES, eventName, eventOptions, orgName, resourceName } from './names.js';
import { ReleasesView } from './releases-view.js';

interface Values {
  type?: string;
  actorId?: string;
  resource?: string;
  period?: [Dayjs | null, Dayjs | null] | null;
}

/**
 * 审计日志: entries newest first, named (event, person or application, organisation, resource),
 * filtered by type (a choice list), actor, resource and time; CSV export; each entry with its
 * proof. A second tab sums the releases: who received what from whom.
 */
export default function AuditLogPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'releases' ? 'releases' : 'log';
  const [filter, setFilter] = useState<AuditFilter>({});
  const [open, setOpen] = useState<number | null>(null);
  const entries = useInfiniteQuery({
    queryKey: ['audit-entries', filter],
    queryFn: ({ pageParam }) => auditApi.entries({ ...filter, order: 'desc', limit: 100, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: view === 'log',
  });
  const pages = entries.data?.pages ?? [];
  const rows = pages.flatMap((p) => p.items);
  const names = pages.reduce(
    (all, p) => ({
      users: { ...all.users, ...p.names.users },
      organizations: { ...all.organizations, ...p.names.organizations },
      applications: { ...all.applications, ...p.names.applications },
      resources: { ...all.resources, ...p.names.resources },
    }),
    EMPTY_NAMES,
  );
  const search = (v: Values) =>
    setFilter({
      type: v.type || undefined,
      actorId: v.actorId?.trim() || undefined,
      resource: v.resource?.trim() || undefined,
      since: v.period?.[0]?.startOf('day').toISOString(),
      until: v.period?.[1]?.endOf('day').toISOString(),
    });

  const log = (
    <>
      <Form<Values> layout="inline" name="audit" onFinish={search} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="type" label={t('aud.type')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder={t('aud.typeAll')}
            options={eventOptions(lang)}
            style={{ width: 200 }}
          />
        </Form.Item>
        <Form.Item name="actorId" label={t('aud.actor')}>
          <Input allowClear style={{ width: 170 }} />
        </Form.Item>
        <Form.Item name="resource" label={t('aud.resource')}>
          <Input allowClear style={{ width: 170 }} />
        </Form.Item>
        <Form.Item name="period" label={t('aud.period')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t('action.search')}
          </Button>
        </Space>
      </Form>
      {entries.error && <ErrorAlert error={entries.error} onRetry={() => entries.refetch()} />}
      <Table<AuditEntry>
        rowKey="index"
        size="small"
        loading={entries.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1000 }}
        onRow={(e) => ({ onClick: () => setOpen(e.index) })}
        columns={[
          { title: '#', dataIndex: 'index', width: 70 },
          { title: t('aud.time'), key: 'time', width: 170, render: (_, e) => formatTime(e.time, lang) },
          {
            title: t('aud.type'),
            key: 'type',
            width: 150,
            render: (_, e) => <span title={e.type}>{eventName(e.type, lang)}</span>,
          },
          {
            title: t('aud.actor'),
            key: 'actor',
            render: (_, e) => actorName(e.actor, names, t('aud.platform'), t('aud.visitor')),
          },
          { title: t('aud.org'), key: 'org', render: (_, e) => orgName(e.actor.orgId, names) },
          {
            title: t('aud.resources'),
            key: 'res',
            render: (_, e) =>
              e.resources.map((code, i) => (
                <span key={code} title={code}>
                  {i > 0 && '、'}
                  {resourceName(code, names)}
                </span>
              )),
          },
          {
            title: t('common.actions'),
            key: 'a',
            width: 120,
            render: (_, e) => (
              <Button
                size="small"
                onClick={() => setOpen(e.index)}
                aria-label={`${t('aud.proof')} #${e.index}`}
              >
                {t('aud.proof')}
              </Button>
            ),
          },
        ]}
      />
      {entries.hasNextPage && (
        <Button
          style={{ marginTop: 12 }}
          onClick={() => entries.fetchNextPage()}
          loading={entries.isFetchingNextPage}
        >
          {t('action.loadMore')}
        </Button>
      )}
      {open !== null && <EntryDrawer index={open} names={names} onClose={() => setOpen(null)} />}
    </>
  );

  return (
    <div className="ht-page">
      <PageHeader
        title={t('aud.log.title')}
        subtitle={t('aud.subtitle')}
        extra={
          view === 'log' && (
            <Button icon={<DownloadOutlined />} href={entriesCsvUrl(filter)} download>
              {t('aud.csv')}
            </Button>
          )
        }
      />
      <Tabs
        activeKey={view}
        onChange={(key) => setParams(key === 'releases' ? { view: 'releases' } : {})}
        items={[
          { key: 'log', label: t('aud.tabLog'), children: log },
          { key: 'releases', label: t('aud.tabReleases'), children: <ReleasesView /> },
        ]}
      />
    </div>
  );
}
