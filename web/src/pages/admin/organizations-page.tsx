import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Input, Select, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { fetchAll, identityApi, type OrganizationKind, type OrganizationView } from '../../api/identity.js';
import { useSession } from '../../auth/session.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatDate } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { OrganizationForm } from './organization-form.js';
import { inNode, OrganizationTree } from './organization-tree.js';

/** Organisations: tree by level and region, a filterable list, register and edit. */
export default function OrganizationsPage() {
  const { t, lang } = useI18n();
  const { me, hasRole } = useSession();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [node, setNode] = useState('all');
  const [kind, setKind] = useState<OrganizationKind | undefined>();
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<OrganizationView | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const isPlatformAdmin = hasRole('platform_admin');

  const query = useQuery({
    queryKey: ['organizations', 'all'],
    queryFn: () => fetchAll((cursor) => identityApi.organizations({ limit: 200, cursor })),
  });
  const organizations = query.data ?? [];
  const byId = useMemo(() => new Map(organizations.map((o) => [o.id, o])), [organizations]);
  const shown = organizations.filter(
    (o) => inNode(o, node) && (!kind || o.kind === kind) && (!text || o.name.includes(text.trim())),
  );
  const canEdit = (o: OrganizationView) =>
    isPlatformAdmin || (hasRole('org_admin') && o.id === me?.organization.id);

  const saved = (o: OrganizationView) => {
    message.success(editing ? t('common.saved') : t('org.created'));
    setFormOpen(false);
    client.invalidateQueries({ queryKey: ['organizations'] });
    setNode(`org:${o.id}`);
  };

  return (
    <div className="ht-page">
      <PageHeader
        title={t('org.title')}
        subtitle={t('org.subtitle')}
        extra={
          isPlatformAdmin && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing(null);
                setFormOpen(true);
              }}
              data-testid="org-create"
            >
              {t('org.create')}
            </Button>
          )
        }
      />
      {query.error && <ErrorAlert error={query.error} onRetry={() => query.refetch()} />}
      <div className="ht-split">
        <OrganizationTree organizations={organizations} selected={node} onSelect={setNode} />
        <div>
          <Space wrap style={{ marginBottom: 12 }}>
            <Input.Search
              allowClear
              placeholder={t('org.searchPlaceholder')}
              aria-label={t('org.searchPlaceholder')}
              onSearch={setText}
              onChange={(e) => !e.target.value && setText('')}
              style={{ width: 240 }}
            />
            <Select
              allowClear
              placeholder={t('org.filterKind')}
              aria-label={t('org.filterKind')}
              value={kind}
              onChange={setKind}
              style={{ width: 180 }}
              options={(['department', 'enterprise', 'platform'] as const).map((k) => ({
                value: k,
                label: t(`kind.${k}`),
              }))}
            />
          </Space>
          <Table<OrganizationView>
            rowKey="id"
            loading={query.isPending}
            dataSource={shown}
            size="middle"
            pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
            locale={{ emptyText: t('org.none') }}
            scroll={{ x: 900 }}
            columns={[
              {
                title: t('org.name'),
                dataIndex: 'name',
                render: (name: string, o) => <Link to={`/portal/organizations/${o.id}`}>{name}</Link>,
              },
              {
                title: t('org.kind'),
                dataIndex: 'kind',
                width: 120,
                render: (k: OrganizationKind) => <Tag>{t(`kind.${k}`)}</Tag>,
              },
              {
                title: t('org.level'),
                dataIndex: 'level',
                width: 90,
                render: (l: OrganizationView['level']) => t(`level.${l}`),
              },
              {
                title: t('org.region'),
                dataIndex: 'regionName',
                render: (n: string | null, o) => `${n ?? ''} (${o.regionCode})`,
              },
              {
                title: t('org.parent'),
                dataIndex: 'parentId',
                render: (id: string | null) => (id ? (byId.get(id)?.name ?? '—') : '—'),
              },
              { title: t('org.creditCode'), dataIndex: 'creditCode', render: (c: string | null) => c ?? '—' },
              {
                title: t('common.createdAt'),
                dataIndex: 'createdAt',
                width: 110,
                render: (d: string) => formatDate(d, lang),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                width: 150,
                fixed: 'right',
                render: (_, o) => (
                  <Space size={0}>
                    {canEdit(o) && (
                      <Button
                        type="link"
                        size="small"
                        onClick={() => {
                          setEditing(o);
                          setFormOpen(true);
                        }}
                        aria-label={`${t('action.edit')} ${o.name}`}
                      >
                        {t('action.edit')}
                      </Button>
                    )}
                    <Link to={`/admin/users?org=${o.id}`} aria-label={`${t('org.users')} ${o.name}`}>
                      {t('org.users')}
                    </Link>
                  </Space>
                ),
              },
            ]}
          />
        </div>
      </div>
      <OrganizationForm
        open={formOpen}
        editing={editing}
        organizations={organizations}
        onClose={() => setFormOpen(false)}
        onSaved={saved}
      />
    </div>
  );
}
