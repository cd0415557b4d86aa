import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Table, Tabs } from 'antd';
import { useState } from 'react';
import { type CatalogChange, type ChangeStatus, catalogReviewApi } from '../../../api/catalog-review.js';
import { fetchAll } from '../../../api/identity.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { formatTime } from '../../../components/format.js';
import { PageHeader } from '../../../components/page-header.js';
import { DeadlineTag } from '../../../components/sharing/deadline-tag.js';
import { type MessageKey, useI18n } from '../../../i18n/index.js';
import { ChangeDrawer, ChangeStatusTag } from './change-drawer.js';

/**
 * 目录审核: the queue of publications and changes of catalog entries, oldest first — every
 * provider's for a catalog reviewer, the organisation's own for its stewards.
 */
export default function CatalogReviewPage() {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const [status, setStatus] = useState<ChangeStatus | 'all'>('pending');
  const [open, setOpen] = useState<CatalogChange | null>(null);
  const list = useQuery({
    queryKey: ['catalog-changes', status],
    queryFn: () =>
      fetchAll((cursor) =>
        catalogReviewApi.list({ status: status === 'all' ? undefined : status, limit: 200, cursor }),
      ),
  });
  return (
    <div className="ht-page">
      <PageHeader title={t('cr.title')} subtitle={t('cr.subtitle')} />
      <Tabs
        activeKey={status}
        onChange={(k) => setStatus(k as ChangeStatus | 'all')}
        items={(['pending', 'approved', 'refused', 'withdrawn', 'all'] as const).map((k) => ({
          key: k,
          label: t(k === 'all' ? 'cr.all' : `cr.status.${k}`),
        }))}
      />
      {list.error && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      <Table<CatalogChange>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        locale={{ emptyText: t('cr.empty') }}
        aria-label={t('cr.title')}
        data-testid="catalog-changes"
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { title: t('cr.resource'), key: 'resource', render: (_, c) => c.resource.name },
          { title: t('res.code'), key: 'code', render: (_, c) => <code>{c.resource.code}</code> },
          { title: t('cr.kind'), key: 'kind', render: (_, c) => t(`cr.kind.${c.kind}`) },
          {
            title: t('cr.fields'),
            key: 'fields',
            render: (_, c) =>
              c.kind === 'publish'
                ? '—'
                : c.diff
                    .map((d) =>
                      t(
                        (d.field === 'classificationCode'
                          ? 'res.classification'
                          : `res.${d.field}`) as MessageKey,
                      ),
                    )
                    .join('、'),
          },
          { title: t('cr.submittedAt'), key: 'at', render: (_, c) => formatTime(c.submittedAt, lang) },
          { title: t('res.status'), key: 'status', render: (_, c) => <ChangeStatusTag status={c.status} /> },
          { title: t('req.deadline'), key: 'deadline', render: (_, c) => <DeadlineTag clock={c.deadline} /> },
          {
            title: '',
            key: 'open',
            render: (_, c) => (
              <Button
                size="small"
                type={c.status === 'pending' ? 'primary' : 'default'}
                onClick={() => setOpen(c)}
                aria-label={`${t(c.status === 'pending' ? 'cr.review' : 'cr.open')} ${c.resource.name}`}
              >
                {t(c.status === 'pending' ? 'cr.review' : 'cr.open')}
              </Button>
            ),
          },
        ]}
      />
      {open && (
        <ChangeDrawer
          change={open}
          onClose={() => setOpen(null)}
          onDecided={() => {
            setOpen(null);
            client.invalidateQueries({ queryKey: ['catalog-changes'] });
            client.invalidateQueries({ queryKey: ['own-resources'] });
          }}
        />
      )}
    </div>
  );
}
