import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { fetchAll } from '../../../api/identity.js';
import { type AccessRequestView, sharingApi } from '../../../api/sharing.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { formatTime } from '../../../components/format.js';
import { PageHeader } from '../../../components/page-header.js';
import { DeadlineTag } from '../../../components/sharing/deadline-tag.js';
import { nextActionText, RequestStatusTag } from '../../../components/sharing/labels.js';
import { useI18n } from '../../../i18n/index.js';
import { ReviewDrawer } from './review-drawer.js';

type Scope = 'todo' | 'provider';

/** 申请审批: requests awaiting the caller, and every request made to the organisation. */
export default function ReviewsPage() {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const [scope, setScope] = useState<Scope>('todo');
  const [open, setOpen] = useState<AccessRequestView | null>(null);
  const list = useQuery({
    queryKey: ['requests', scope],
    queryFn: () => fetchAll((cursor) => sharingApi.requests({ scope, limit: 200, cursor })),
  });
  const time = (iso: string) => formatTime(iso, lang) ?? '';

  return (
    <div className="ht-page">
      <PageHeader title={t('pv.reviews.title')} subtitle={t('rev.subtitle')} />
      <Tabs
        activeKey={scope}
        onChange={(k) => setScope(k as Scope)}
        items={[
          { key: 'todo', label: t('rev.todo') },
          { key: 'provider', label: t('rev.all') },
        ]}
      />
      {list.error && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      <Table<AccessRequestView>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data ?? []}
        locale={{ emptyText: t('rev.none') }}
        scroll={{ x: 900 }}
        columns={[
          { title: t('req.resource'), key: 'r', render: (_, r) => r.resource.name },
          {
            title: t('rev.applicant'),
            key: 'who',
            render: (_, r) => (
              <span>
                {r.applicant.organization.name}
                <br />
                <Typography.Text type="secondary">
                  {[r.applicant.person?.displayName, r.applicant.application.name]
                    .filter(Boolean)
                    .join(' · ')}
                </Typography.Text>
              </span>
            ),
          },
          { title: t('req.items'), key: 'i', render: (_, r) => r.items.length },
          { title: t('apply.purpose'), dataIndex: 'purpose', ellipsis: true },
          {
            title: t('common.status'),
            key: 's',
            render: (_, r) => <RequestStatusTag t={t} status={r.status} />,
          },
          { title: t('req.next'), key: 'n', render: (_, r) => nextActionText(t, r, time) },
          { title: t('req.deadline'), key: 'deadline', render: (_, r) => <DeadlineTag clock={r.deadline} /> },
          {
            title: t('common.actions'),
            key: 'a',
            render: (_, r) => (
              <Button
                size="small"
                type={scope === 'todo' ? 'primary' : 'default'}
                onClick={() => setOpen(r)}
                aria-label={`${scope === 'todo' ? t('rev.review') : t('action.view')} ${r.resource.name}`}
                data-testid="review-open"
              >
                {scope === 'todo' ? t('rev.review') : t('action.view')}
              </Button>
            ),
          },
        ]}
      />
      {open && (
        <ReviewDrawer
          request={open}
          canDecide={scope === 'todo'}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            client.invalidateQueries({ queryKey: ['requests'] });
          }}
        />
      )}
    </div>
  );
}
