import { Card, Col, Row, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useSession } from '../../auth/session.js';
import { useI18n } from '../../i18n/index.js';
import { visibleMenu } from '../../layout/menu.js';

/** The landing page after sign-in: a greeting and a card per area the caller may use. */
export default function HomePage() {
  const { me } = useSession();
  const { t } = useI18n();
  if (!me) return null;
  const groups = visibleMenu(me.roles).filter((g) => g.key !== 'home');
  const name = me.user?.displayName ?? me.application?.name ?? '';
  return (
    <div className="ht-page">
      <Typography.Title level={1} className="ht-page-title">
        {t('home.welcome', { name })}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('home.intro', { roles: me.roles.map((r) => t(`role.${r}`)).join('、') })}
      </Typography.Paragraph>
      <Typography.Title level={2} style={{ fontSize: 18 }}>
        {t('home.quick')}
      </Typography.Title>
      <Row gutter={[16, 16]}>
        {groups.map((g) => (
          <Col key={g.key} xs={24} md={12} xl={8}>
            <Card
              title={
                <span>
                  {g.icon} {t(g.label)}
                </span>
              }
              size="small"
            >
              <ul className="ht-link-list">
                {g.children.map((c) => (
                  <li key={c.path}>
                    <Link to={c.path}>{t(c.label)}</Link>
                  </li>
                ))}
              </ul>
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
