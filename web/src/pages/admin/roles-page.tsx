import { Table, Tag } from 'antd';
import type { Role } from '../../api/identity.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { ALL_ROLES, EXCLUSIVE } from './role-select.js';

/** The platform's roles and what each may do, with the 三员 marked. */
export default function RolesPage() {
  const { t } = useI18n();
  return (
    <div className="ht-page">
      <PageHeader title={t('roles.title')} subtitle={t('roles.subtitle')} />
      <Table<{ id: Role }>
        rowKey="id"
        pagination={false}
        dataSource={ALL_ROLES.map((id) => ({ id }))}
        columns={[
          {
            title: t('users.roles'),
            dataIndex: 'id',
            width: 260,
            render: (r: Role) => (
              <span>
                {t(`role.${r}`)} <code>{r}</code>
              </span>
            ),
          },
          {
            title: t('roles.exclusive'),
            dataIndex: 'id',
            width: 100,
            render: (r: Role) =>
              EXCLUSIVE.includes(r) ? <Tag color="orange">{t('roles.exclusive')}</Tag> : '—',
          },
          { title: t('roles.duty'), dataIndex: 'id', render: (r: Role) => t(`roles.duty.${r}`) },
        ]}
      />
    </div>
  );
}
