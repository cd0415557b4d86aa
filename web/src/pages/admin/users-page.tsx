import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { fetchAll, identityApi, type Role, type UserView } from '../../api/identity.js';
import { useSession } from '../../auth/session.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { ALL_ROLES, EXCLUSIVE, ORG_ROLES } from './role-select.js';
import { UserForm } from './user-form.js';

/** Users of one organisation: roles (三员 marked), status, create, edit, disable. */
export default function UsersPage() {
  const { t, lang } = useI18n();
  const { me, hasRole } = useSession();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const isPlatformAdmin = hasRole('platform_admin');
  const orgId = (isPlatformAdmin && params.get('org')) || me!.organization.id;
  const [editing, setEditing] = useState<UserView | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const assignable: Role[] = isPlatformAdmin ? ALL_ROLES : ORG_ROLES;

  const orgs = useQuery({
    queryKey: ['organizations', 'all'],
    queryFn: () => fetchAll((cursor) => identityApi.organizations({ limit: 200, cursor })),
    enabled: isPlatformAdmin,
  });
  const users = useQuery({
    queryKey: ['users', orgId],
    queryFn: () => fetchAll((cursor) => identityApi.users({ orgId, limit: 200, cursor })),
  });

  const refresh = () => client.invalidateQueries({ queryKey: ['users', orgId] });
  const toggle = async (u: UserView) => {
    try {
      await identityApi.updateUser(u.id, { disabled: !u.disabled });
      message.success(t('common.saved'));
      refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <div className="ht-page">
      <PageHeader
        title={t('users.title')}
        subtitle={t('users.subtitle')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setFormOpen(true);
            }}
            data-testid="user-create"
          >
            {t('users.create')}
          </Button>
        }
      />
      {isPlatformAdmin && (
        <Space style={{ marginBottom: 12 }}>
          <label htmlFor="user-org">{t('users.org')}</label>
          <Select
            id="user-org"
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 360 }}
            value={orgId}
            loading={orgs.isPending}
            onChange={(id: string) => setParams({ org: id })}
            options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
          />
        </Space>
      )}
      {users.error && <ErrorAlert error={users.error} onRetry={() => users.refetch()} />}
      <Table<UserView>
        rowKey="id"
        loading={users.isPending}
        dataSource={users.data ?? []}
        pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { n }) }}
        locale={{ emptyText: t('users.none') }}
        scroll={{ x: 900 }}
        columns={[
          { title: t('users.username'), dataIndex: 'username' },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          { title: t('users.email'), dataIndex: 'email', render: (e: string | null) => e ?? '—' },
          {
            title: t('users.roles'),
            dataIndex: 'roles',
            render: (roles: Role[]) =>
              roles.map((r) => (
                <Tag key={r} color={EXCLUSIVE.includes(r) ? 'orange' : 'blue'}>
                  {t(`role.${r}`)}
                </Tag>
              )),
          },
          {
            title: t('common.status'),
            dataIndex: 'disabled',
            width: 90,
            render: (d: boolean) =>
              d ? (
                <Tag color="red">{t('users.disabled')}</Tag>
              ) : (
                <Tag color="green">{t('users.enabled')}</Tag>
              ),
          },
          {
            title: t('users.lastLogin'),
            dataIndex: 'lastLoginAt',
            render: (d: string | null) => formatTime(d, lang) ?? t('common.never'),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 180,
            fixed: 'right',
            render: (_, u) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  onClick={() => {
                    setEditing(u);
                    setFormOpen(true);
                  }}
                  aria-label={`${t('action.edit')} ${u.username}`}
                >
                  {t('action.edit')}
                </Button>
                {u.id !== me?.user?.id &&
                  (u.disabled ? (
                    <Button type="link" size="small" onClick={() => toggle(u)}>
                      {t('users.enable')}
                    </Button>
                  ) : (
                    <Popconfirm
                      title={t('users.disableConfirm')}
                      onConfirm={() => toggle(u)}
                      okText={t('action.confirm')}
                      cancelText={t('action.cancel')}
                    >
                      <Button type="link" size="small" danger>
                        {t('users.disable')}
                      </Button>
                    </Popconfirm>
                  ))}
              </Space>
            ),
          },
        ]}
      />
      <UserForm
        open={formOpen}
        orgId={orgId}
        editing={editing}
        assignable={assignable}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          message.success(editing ? t('common.saved') : t('users.created'));
          setFormOpen(false);
          refresh();
        }}
      />
    </div>
  );
}
