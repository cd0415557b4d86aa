import { App as AntApp, Button, Card, Descriptions, Form, Input, Tag } from 'antd';
import { useNavigate } from 'react-router-dom';
import { identityApi } from '../../api/identity.js';
import { useSession } from '../../auth/session.js';
import { errorMessage } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

/** The caller's account and password change (which ends every session, so it signs out). */
export default function AccountPage() {
  const { me, logout } = useSession();
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<PasswordForm>();
  if (!me?.user) return null;

  const submit = async (values: PasswordForm) => {
    try {
      await identityApi.changePassword(values.currentPassword, values.newPassword);
      message.success(t('account.changed'));
      await logout();
      navigate('/login');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <div className="ht-page">
      <PageHeader title={t('account.title')} />
      <Card title={t('account.profile')} style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }}>
          <Descriptions.Item label={t('login.username')}>{me.user.username}</Descriptions.Item>
          <Descriptions.Item label={t('users.displayName')}>{me.user.displayName}</Descriptions.Item>
          <Descriptions.Item label={t('header.org')}>{me.organization.name}</Descriptions.Item>
          <Descriptions.Item label={t('users.roles')}>
            {me.roles.map((r) => (
              <Tag key={r}>{t(`role.${r}`)}</Tag>
            ))}
          </Descriptions.Item>
          <Descriptions.Item label={t('account.lastLogin')}>
            {formatTime(me.user.lastLoginAt, lang) ?? t('common.never')}
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('account.password')}>
        <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 420 }}>
          <Form.Item
            name="currentPassword"
            label={t('account.current')}
            rules={[{ required: true, message: t('common.required', { field: t('account.current') }) }]}
          >
            <Input.Password autoComplete="current-password" />
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
          <Button type="primary" htmlType="submit">
            {t('action.save')}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
