import { MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Button, Layout, Menu, Tag } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { useI18n } from '../i18n/index.js';
import { Brand } from './brand.js';
import { LanguageSwitch } from './language-switch.js';
import { visibleMenu } from './menu.js';
import { UserMenu } from './user-menu.js';

/** The console frame for signed-in people: side menu by role, header, content. */
export function AppShell({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(() => window.innerWidth < 1200);
  const groups = useMemo(() => visibleMenu(me?.roles ?? []), [me]);

  const selected = useMemo(() => {
    let best = '';
    for (const g of groups)
      for (const leaf of g.children)
        if (
          (location.pathname === leaf.path || location.pathname.startsWith(`${leaf.path}/`)) &&
          leaf.path.length > best.length
        )
          best = leaf.path;
    return best;
  }, [groups, location.pathname]);
  const openGroup = groups.find((g) => g.children.some((c) => c.path === selected))?.key;

  const items = groups.map((g) =>
    g.children.length === 1 && g.key === 'home'
      ? { key: g.children[0]!.path, icon: g.icon, label: t(g.label) }
      : {
          key: g.key,
          icon: g.icon,
          label: t(g.label),
          children: g.children.map((c) => ({ key: c.path, label: t(c.label) })),
        },
  );

  return (
    <Layout className="ht-shell">
      <a className="ht-skip" href="#main">
        {t('header.skip')}
      </a>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        trigger={null}
        width={232}
        theme="dark"
        className="ht-sider"
      >
        <Brand collapsed={collapsed} to="/home" />
        <nav aria-label={t('app.short')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={[selected]}
            defaultOpenKeys={openGroup ? [openGroup] : []}
            items={items}
            onClick={({ key }) => navigate(key)}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="ht-header">
          <Button
            type="text"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
            aria-label={collapsed ? t('header.expand') : t('header.collapse')}
          />
          <span className="ht-header-org">
            {me?.organization.name}
            {me?.roles.map((r) => (
              <Tag key={r} color="blue" style={{ marginInlineStart: 8 }}>
                {t(`role.${r}`)}
              </Tag>
            ))}
          </span>
          <span className="ht-header-tools">
            <LanguageSwitch />
            <UserMenu />
          </span>
        </Layout.Header>
        <Layout.Content id="main" className="ht-content" tabIndex={-1}>
          {children}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
