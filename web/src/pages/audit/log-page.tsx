import { DownloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Space, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { type AuditEntry, type AuditFilter, auditApi, entriesCsvUrl } from '../../api/audit.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { EntryDrawer } from './entry-drawer.js';

interface Values {
  type?: string;
  actorId?: string;
  resource?: string;
  period?: [Dayjs | null, Dayjs | null] | null;
}

/** 审计日志: search entries by type, actor, resource and time; CSV export; each entry with its proof. */
export default function AuditLogPage() {
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [open, setOpen] = useState<number | null>(null);
  const entries = useInfiniteQuery({
    queryKey: ['audit-entries', filter],
    queryFn: ({ pageParam }) => auditApi.entries({ ...filter, limit: 100, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = entries.data?.pages.flatMap((p) => p.items) ?? [];
  const search = (v: Values) =>
    setFilter({
      type: v.type?.trim() || undefined,
      actorId: v.actorId?.trim() || undefined,
      resource: v.resource?.trim() || undefined,
      since: v.period?.[0]?.startOf('day').toISOString(),
      until: v.period?.[1]?.endOf('day').toISOString(),
    });

  return (
    <div className="ht-page">
      <PageHeader
        title={t('aud.log.title')}
        subtitle={t('aud.subtitle')}
        extra={
          <Button icon={<DownloadOutlined />} href={entriesCsvUrl(filter)} download>
            {t('aud.csv')}
          </Button>
        }
      />
      <Form<Values> layout="inline" name="audit" onFinish={search} style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item name="type" label={t('aud.type')}>
          <Input placeholder="data.released" allowClear style={{ width: 170 }} />
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
        scroll={{ x: 900 }}
        onRow={(e) => ({ onClick: () => setOpen(e.index) })}
        columns={[
          { title: '#', dataIndex: 'index', width: 80 },
          { title: t('aud.time'), key: 'time', width: 180, render: (_, e) => formatTime(e.time, lang) },
          { title: t('aud.type'), dataIndex: 'type', render: (v: string) => <code>{v}</code> },
          {
            title: t('aud.actor'),
            key: 'actor',
            render: (_, e) => `${e.actor.kind}:${e.actor.id.slice(0, 12)}`,
          },
          { title: t('aud.resources'), key: 'res', render: (_, e) => e.resources.join(', ') },
          {
            title: t('common.actions'),
            key: 'a',
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
      {open !== null && <EntryDrawer index={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
