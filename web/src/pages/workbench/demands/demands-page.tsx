import { useQuery } from '@tanstack/react-query';
import { Button, Input, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { type DemandFilters, type DemandStatus, type DemandView, demandsApi } from '../../../api/demands.js';
import { useSession } from '../../../auth/session.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { formatTime } from '../../../components/format.js';
import { PageHeader } from '../../../components/page-header.js';
import { DeadlineTag } from '../../../components/sharing/deadline-tag.js';
import { useI18n } from '../../../i18n/index.js';
import { DemandDrawer } from './demand-drawer.js';
import { DemandForm } from './demand-form.js';
import { DEMAND_STATUSES, DemandStatusTag } from './demand-status.js';

type Scope = 'all' | 'mine' | 'assigned';

/** 需求清单: every demand of the platform, searchable, with its status; post one; open one to act. */
export default function DemandsPage() {
  const { t, lang } = useI18n();
  const { me, hasRole } = useSession();
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<DemandStatus>();
  const [scope, setScope] = useState<Scope>('all');
  const [cursor, setCursor] = useState<string[]>([]);
  const [posting, setPosting] = useState(false);
  const [openId, setOpenId] = useState<string>();
  const orgId = me?.organization.id;
  const filters: DemandFilters = {
    q: q || undefined,
    status,
    requesterOrgId: scope === 'mine' ? orgId : undefined,
    assignedOrgId: scope === 'assigned' ? orgId : undefined,
    limit: 20,
    cursor: cursor.at(-1),
  };
  const list = useQuery({ queryKey: ['demands', 'list', filters], queryFn: () => demandsApi.list(filters) });
  const reset = () => setCursor([]);
  const canPost = hasRole('analyst', 'data_steward', 'org_admin');

  return (
    <div className="ht-page">
      <PageHeader
        title={t('dm.title')}
        subtitle={t('dm.subtitle')}
        extra={
          canPost && (
            <Button type="primary" onClick={() => setPosting(true)} data-testid="demand-post">
              {t('dm.post')}
            </Button>
          )
        }
      />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          aria-label={t('dm.search')}
          placeholder={t('dm.search')}
          style={{ width: 320 }}
          onSearch={(value) => {
            setQ(value.trim());
            reset();
          }}
        />
        <Select<DemandStatus>
          allowClear
          aria-label={t('dm.filterStatus')}
          placeholder={t('dm.filterStatus')}
          style={{ width: 180 }}
          value={status}
          onChange={(value) => {
            setStatus(value);
            reset();
          }}
          options={DEMAND_STATUSES.map((s) => ({ value: s, label: t(`dm.status.${s}`) }))}
        />
        <Select<Scope>
          aria-label={t('dm.scope')}
          style={{ width: 180 }}
          value={scope}
          onChange={(value) => {
            setScope(value);
            reset();
          }}
          options={(['all', 'mine', 'assigned'] as const).map((s) => ({
            value: s,
            label: t(`dm.scope.${s}`),
          }))}
        />
      </Space>
      {list.error && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      <Table<DemandView>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('dm.none') }}
        pagination={false}
        scroll={{ x: 900 }}
        columns={[
          {
            title: t('dm.name'),
            key: 'title',
            render: (_, d) => (
              <Button
                type="link"
                style={{ padding: 0 }}
                onClick={() => setOpenId(d.id)}
                data-testid="demand-open"
              >
                {d.title}
              </Button>
            ),
          },
          { title: t('dm.requester'), key: 'requester', render: (_, d) => d.requester.name },
          { title: t('dm.assigned'), key: 'assigned', render: (_, d) => d.assignedOrganization?.name ?? '—' },
          {
            title: t('common.status'),
            key: 'status',
            render: (_, d) => <DemandStatusTag status={d.status} />,
          },
          { title: t('req.deadline'), key: 'deadline', render: (_, d) => <DeadlineTag clock={d.deadline} /> },
          { title: t('dm.created'), key: 'created', render: (_, d) => formatTime(d.createdAt, lang) },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        {cursor.length > 0 && (
          <Button onClick={() => setCursor(cursor.slice(0, -1))}>{t('dm.previous')}</Button>
        )}
        {list.data?.nextCursor && (
          <Button onClick={() => setCursor([...cursor, list.data!.nextCursor!])}>{t('dm.next')}</Button>
        )}
      </Space>
      {posting && <DemandForm onClose={() => setPosting(false)} />}
      {openId && <DemandDrawer id={openId} onClose={() => setOpenId(undefined)} />}
    </div>
  );
}
