import { DownOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { useI18n } from '../i18n/index.js';

/** The signed-in user's name and organisation, with account settings and sign-out. */
export function UserMenu() {
  const { me, logout } = useSession();
  const { t } = useI18n();
  const navigate = useNavigate();
  if (!me) return null;
  const name = me.user?.displayName ?? me.application?.name ?? '';
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'org', label: `${t('header.org')}: ${me.organization.name}`, disabled: true },
          { type: 'divider' },
          { key: 'account', icon: <UserOutlined />, label: t('menu.account') },
          { key: 'logout', icon: <LogoutOutlined />, label: t('header.logout'), danger: true },
        ],
        onClick: async ({ key }) => {
          if (key === 'account') navigate('/account');
          if (key === 'logout') {
            await logout();
            navigate('/login');
          }
        },
      }}
    >
      <Button type="text" data-testid="user-menu" icon={<UserOutlined aria-hidden />}>
        {name} <DownOutlined aria-hidden style={{ fontSize: 10 }} />
      </Button>
    </Dropdown>
  );
}
