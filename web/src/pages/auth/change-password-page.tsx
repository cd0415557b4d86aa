import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { identityApi } from '../../api/identity.js';
import { PageSpinner } from '../../auth/guards.js';
import { useSession } from '../../auth/session.js';
import { errorMessage } from '../../components/error-result.js';
import { useI18n } from '../../i18n/index.js';
import { LanguageSwitch } from '../../layout/language-switch.js';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

/** Only same-site paths: `next` comes from the URL and must not send anyone elsewhere. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/home';
}

/**
 * 等保: the first sign-in with a password an administrator set ends here. The API refuses every
 * other call until it is changed; the change ends the session, so the page signs in again with
 * the new password and goes on to where the user was going.
 */
export default function ChangePasswordPage() {
  const { me, login, logout } = useSession();
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));
  if (me === undefined) return <PageSpinner />;
  if (!me?.user) return <Navigate to="/login" replace />;
  if (!me.user.mustChangePassword) return <Navigate to={next} replace />;
  const username = me.user.username;

  const submit = async (values: PasswordForm) => {
    setBusy(true);
    setError(null);
    try {
      await identityApi.changePassword(values.currentPassword, values.newPassword);
      await login(username, values.newPassword);
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
        <LanguageSwitch dark />
      </div>
      <Card className="ht-login-card">
        <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
          {t('firstPassword.title')}
        </Typography.Title>
        <Typography.Paragraph>{t('firstPassword.intro')}</Typography.Paragraph>
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={t('firstPassword.failed')}
            description={error}
            style={{ marginBottom: 16 }}
          />
        )}
        <Form<PasswordForm> layout="vertical" onFinish={submit} requiredMark={false} size="large">
          <Form.Item
            name="currentPassword"
            label={t('firstPassword.initial')}
            rules={[{ required: true, message: t('common.required', { field: t('firstPassword.initial') }) }]}
          >
            <Input.Password autoComplete="current-password" autoFocus />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('account.new')}
            rules={[{ required: true, min: 10, message: t('account.minLength') }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item
            name="repeat"
            label={t('account.repeat')}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t('common.required', { field: t('account.repeat') }) },
              ({ getFieldValue }) => ({
                validator: (_, value) =>
                  value === getFieldValue('newPassword')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('account.mismatch'))),
              }),
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="change-password-submit">
            {t('firstPassword.submit')}
          </Button>
          <Button type="link" block onClick={() => void logout().then(() => navigate('/login'))}>
            {t('header.logout')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
