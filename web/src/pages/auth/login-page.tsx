import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { useSession } from '../../auth/session.js';
import { errorMessage } from '../../components/error-result.js';
import { useI18n } from '../../i18n/index.js';
import { CareModeSwitch } from '../../layout/care-mode.js';
import { LanguageSwitch } from '../../layout/language-switch.js';
import { useDocumentTitle } from '../../layout/page-title.js';

interface LoginForm {
  username: string;
  password: string;
}

/** Only same-site paths: `next` comes from the URL and must not send anyone elsewhere. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/home';
}

/** Sign in with username and password; the language can be chosen before signing in. */
export default function LoginPage() {
  const { me, login } = useSession();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  useDocumentTitle(t('login.title'));
  if (me) return <Navigate to={next} replace />;

  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      await login(values.username.trim(), values.password);
      navigate(next, { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="ht-login" id="main">
      <div className="ht-login-lang">
        <CareModeSwitch dark />
        <LanguageSwitch dark />
      </div>
      <section className="ht-login-banner" aria-hidden>
        <h2>{t('app.name')}</h2>
        <p>{t('login.subtitle')}</p>
        <p className="ht-login-slogan">{t('app.slogan')}</p>
      </section>
      <Card className="ht-login-card">
        <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
          {t('login.title')}
        </Typography.Title>
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('login.failed')}
            description={error}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<LoginForm> layout="vertical" onFinish={submit} requiredMark={false} size="large">
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('common.required', { field: t('login.username') }) }]}
          >
            <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('common.required', { field: t('login.password') }) }]}
          >
            <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, fontSize: 13 }}>
          {t('login.hint')}
        </Typography.Paragraph>
        <Link to="/portal">{t('login.portal')}</Link>
      </Card>
    </main>
  );
}
