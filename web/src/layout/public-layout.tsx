import { LoginOutlined } from '@ant-design/icons';
import { Button, Layout, Menu } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n/index.js';
import { Brand } from './brand.js';
import { CareModeSwitch } from './care-mode.js';
import { LanguageSwitch } from './language-switch.js';
import { useRouteTitleAndFocus } from './page-title.js';

/**
 * The open-data portal's frame for visitors who have not signed in. On a phone the header wraps:
 * the brand and tools on the first line, the two portal links on a line of their own.
 */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  useRouteTitleAndFocus();
  const selected = location.pathname.startsWith('/portal/stats') ? '/portal/stats' : '/portal';
  return (
    <Layout className="ht-public">
      <a className="ht-skip" href="#main">
        {t('header.skip')}
      </a>
      <Layout.Header className="ht-public-header">
        <Brand to="/portal" />
        <nav aria-label={t('menu.portal')} className="ht-public-nav">
          <Menu
            mode="horizontal"
            theme="dark"
            selectedKeys={[selected]}
            items={[
              { key: '/portal', label: t('menu.portal.search') },
              { key: '/portal/stats', label: t('menu.portal.stats') },
            ]}
            onClick={({ key }) => navigate(key)}
          />
        </nav>
        <span className="ht-header-tools">
          <CareModeSwitch dark />
          <LanguageSwitch dark />
          <Link to={`/login?next=${encodeURIComponent(location.pathname)}`}>
            <Button type="primary" icon={<LoginOutlined aria-hidden />}>
              {t('header.login')}
            </Button>
          </Link>
        </span>
      </Layout.Header>
      <Layout.Content id="main" className="ht-public-content" tabIndex={-1}>
        {children}
      </Layout.Content>
      <Layout.Footer className="ht-footer">
        {t('app.name')} · {t('app.slogan')}
      </Layout.Footer>
    </Layout>
  );
}
