import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Drawer, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { catalogApi, type ResourceView } from '../../api/catalog.js';
import { type CatalogChange, catalogReviewApi, isPendingChange } from '../../api/catalog-review.js';
import { fetchAll } from '../../api/identity.js';
import { useSession } from '../../auth/session.js';
import { GradeTag, SharingTag } from '../../components/catalog/vocab.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { BindingDrawer } from './binding-drawer.js';
import { KAnonymityDrawer } from './k-anonymity-drawer.js';
import { ResourceForm } from './resource-form.js';

const STATUS_COLOR = { draft: 'default', published: 'green', retired: 'red' } as const;

/**
 * The steward's resources: every status, create and edit (in a drawer), publish and retire. Where
 * catalog review is required, a publication or a published entry's change waits for the catalog
 * reviewer (待审核): the entry shows it, and the steward may withdraw it.
 */
export default function ResourcesPage() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const orgId = me!.organization.id;
  const [editing, setEditing] = useState<ResourceView | null | 'new'>(null);
  const [binding, setBinding] = useState<ResourceView | null>(null);
  const [kGate, setKGate] = useState<ResourceView | null>(null);
  const list = useQuery({
    queryKey: ['own-resources', orgId],
    queryFn: () => fetchAll((cursor) => catalogApi.resources({ providerId: orgId, limit: 200, cursor })),
  });
  const pending = useQuery({
    queryKey: ['own-catalog-changes', orgId],
    queryFn: () => fetchAll((cursor) => catalogReviewApi.list({ status: 'pending', limit: 200, cursor })),
  });
  const pendingOf = new Map<string, CatalogChange>((pending.data ?? []).map((c) => [c.resource.id, c]));
  const refresh = () => {
    client.invalidateQueries({ queryKey: ['own-resources', orgId] });
    client.invalidateQueries({ queryKey: ['own-catalog-changes', orgId] });
  };
  const act = async (r: ResourceView, verb: 'publish' | 'retire') => {
    try {
      const answer = await (verb === 'publish' ? catalogApi.publish(r.code) : catalogApi.retire(r.code));
      message.success(
        t(isPendingChange(answer) ? 'cr.submitted' : verb === 'publish' ? 'pv.published' : 'pv.retired'),
      );
      refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const withdraw = async (change: CatalogChange) => {
    try {
      await catalogReviewApi.withdraw(change.id);
      message.success(t('cr.withdrawn'));
      refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <div className="ht-page">
      <PageHeader
        title={t('pv.list.title')}
        subtitle={t('pv.list.subtitle')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="resource-create"
          >
            {t('pv.list.create')}
          </Button>
        }
      />
      {list.error && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      <Table<ResourceView>
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data ?? []}
        locale={{ emptyText: t('pv.list.none') }}
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        scroll={{ x: 1000 }}
        columns={[
          {
            title: t('res.name'),
            dataIndex: 'name',
            render: (n: string, r) => <Link to={`/portal/resources/${r.code}`}>{n}</Link>,
          },
          { title: t('res.code'), dataIndex: 'code', render: (c: string) => <code>{c}</code> },
          {
            title: t('res.sharingType'),
            dataIndex: 'sharingType',
            render: (v: ResourceView['sharingType']) => <SharingTag t={t} value={v} />,
          },
          {
            title: t('res.grade'),
            dataIndex: 'grade',
            render: (v: ResourceView['grade']) => <GradeTag t={t} value={v} />,
          },
          { title: t('res.items'), key: 'items', width: 80, render: (_, r) => r.items.length },
          {
            title: t('res.status'),
            dataIndex: 'status',
            render: (s: ResourceView['status'], r) => (
              <>
                <Tag color={STATUS_COLOR[s]}>
                  {t(`status.${s}`)}
                  {r.version ? ` v${r.version}` : ''}
                </Tag>
                {pendingOf.has(r.id) && (
                  <Tag color="gold" data-testid={`catalog-pending-${r.code}`}>
                    {t('cr.pendingTag')}
                  </Tag>
                )}
              </>
            ),
          },
          { title: t('res.updatedAt'), dataIndex: 'updatedAt', render: (d: string) => formatTime(d, lang) },
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            width: 220,
            render: (_, r) => {
              const change = pendingOf.get(r.id);
              return (
                <Space size={0}>
                  {r.status !== 'retired' && (
                    <Button
                      type="link"
                      size="small"
                      onClick={() => setBinding(r)}
                      aria-label={`${t('bind.action')} ${r.name}`}
                    >
                      {t('bind.action')}
                    </Button>
                  )}
                  {r.status !== 'retired' && r.openType !== 'not_open' && (
                    <Button
                      type="link"
                      size="small"
                      onClick={() => setKGate(r)}
                      aria-label={`${t('kanon.action')} ${r.name}`}
                    >
                      {t('kanon.action')}
                    </Button>
                  )}
                  {change && (
                    <Popconfirm
                      title={t('cr.withdrawConfirm')}
                      onConfirm={() => withdraw(change)}
                      okText={t('cr.withdraw')}
                      cancelText={t('action.cancel')}
                    >
                      <Button type="link" size="small" aria-label={`${t('cr.withdraw')} ${r.name}`}>
                        {t('cr.withdraw')}
                      </Button>
                    </Popconfirm>
                  )}
                  {!change && r.status !== 'retired' && (
                    <Button
                      type="link"
                      size="small"
                      onClick={() => setEditing(r)}
                      aria-label={`${t('action.edit')} ${r.name}`}
                    >
                      {t('action.edit')}
                    </Button>
                  )}
                  {!change && r.status === 'draft' && (
                    <Popconfirm
                      title={t('pv.publishConfirm')}
                      onConfirm={() => act(r, 'publish')}
                      okText={t('pv.publish')}
                      cancelText={t('action.cancel')}
                    >
                      <Button type="link" size="small">
                        {t('pv.publish')}
                      </Button>
                    </Popconfirm>
                  )}
                  {!change && r.status === 'published' && (
                    <Popconfirm
                      title={t('pv.retireConfirm')}
                      onConfirm={() => act(r, 'retire')}
                      okText={t('pv.retire')}
                      okButtonProps={{ danger: true }}
                      cancelText={t('action.cancel')}
                    >
                      <Button type="link" size="small" danger>
                        {t('pv.retire')}
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
      {kGate && <KAnonymityDrawer resource={kGate} onClose={() => setKGate(null)} />}
      {binding && (
        <BindingDrawer
          resource={binding}
          onClose={() => {
            setBinding(null);
            refresh();
          }}
        />
      )}
      <Drawer
        open={editing !== null}
        size="min(1040px, 96vw)"
        title={editing === 'new' ? t('pv.form.create') : t('pv.form.edit')}
        onClose={() => setEditing(null)}
        destroyOnHidden
      >
        {editing !== null && (
          <ResourceForm
            editing={editing === 'new' ? null : editing}
            onCancel={() => setEditing(null)}
            onSaved={(answer) => {
              message.success(
                t(
                  isPendingChange(answer)
                    ? 'cr.submitted'
                    : editing === 'new'
                      ? 'pv.form.created'
                      : 'pv.form.saved',
                ),
              );
              setEditing(null);
              refresh();
            }}
          />
        )}
      </Drawer>
    </div>
  );
}
