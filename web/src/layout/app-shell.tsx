import { MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, Tag } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useSession } from '../auth/session.js';
import { useI18n } from '../i18n/index.js';
import { Brand } from './brand.js';
import { CareModeSwitch } from './care-mode.js';
import { LanguageSwitch } from './language-switch.js';
import { visibleMenu } from './menu.js';
import { useRouteTitleAndFocus } from './page-title.js';
import { UserMenu } from './user-menu.js';

/**
 * The console frame for signed-in people: side menu by role, header, content. Below the `md`
 * breakpoint (768 px: phones, and a laptop at 200 % zoom) the side menu gives the page the whole
 * width and opens as a drawer from the header's menu button instead.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const { me } = useSession();
  const { t } = useI18n();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  // Before the first measurement every breakpoint is unknown: assume a wide screen.
  const narrow = screens.md === false;
  const [collapsed, setCollapsed] = useState(() => window.innerWidth < 1200);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const groups = useMemo(() => visibleMenu(me?.roles ?? []), [me]);
  useRouteTitleAndFocus();

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
  const menu = (
    <nav aria-label={t('app.short')}>
      <Menu
        theme="dark"
        mode="inline"
        selectedKeys={[selected]}
        // A collapsed menu shows its groups as pop-ups: none is opened by itself over the page.
        defaultOpenKeys={openGroup && (narrow || !collapsed) ? [openGroup] : []}
        items={items}
        onClick={({ key }) => {
          setDrawerOpen(false);
          navigate(key);
        }}
      />
    </nav>
  );

  return (
    <Layout className="ht-shell">
      <a className="ht-skip" href="#main">
        {t('header.skip')}
      </a>
      {narrow ? (
        <Drawer
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          placement="left"
          size={280}
          closable={false}
          title={<Brand to="/home" />}
          className="ht-menu-drawer"
          styles={{ body: { padding: 0 } }}
        >
          {menu}
        </Drawer>
      ) : (
        <Layout.Sider
          collapsible
          collapsed={collapsed}
          trigger={null}
          width={232}
          theme="dark"
          className="ht-sider"
        >
          <Brand collapsed={collapsed} to="/home" />
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header className="ht-header">
          {narrow ? (
            <Button
              type="text"
              icon={<MenuOutlined aria-hidden />}
              onClick={() => setDrawerOpen(true)}
              aria-label={t('header.menu')}
              aria-expanded={drawerOpen}
              data-testid="menu-open"
            />
          ) : (
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined aria-hidden /> : <MenuFoldOutlined aria-hidden />}
              onClick={() => setCollapsed(!collapsed)}
              aria-label={collapsed ? t('header.expand') : t('header.collapse')}
            />
          )}
          <span className="ht-header-org">
            {me?.organization.name}
            {me?.roles.map((r) => (
              <Tag key={r} color="blue" style={{ marginInlineStart: 8 }}>
                {t(`role.${r}`)}
              </Tag>
            ))}
          </span>
          <span className="ht-header-tools">
            <CareModeSwitch />
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
