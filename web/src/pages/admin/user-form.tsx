import { App as AntApp, Button, Form, Input, Modal, Space } from 'antd';
import { useEffect, useState } from 'react';
import { identityApi, type Role, type UserView } from '../../api/identity.js';
import { errorMessage } from '../../components/error-result.js';
import { showFieldErrors } from '../../components/form-errors.js';
import { generatePassword } from '../../components/password.js';
import { useI18n } from '../../i18n/index.js';
import { conflicting, RoleSelect } from './role-select.js';

interface UserFormValues {
  username: string;
  displayName: string;
  email?: string;
  password?: string;
  roles: Role[];
}

const FIELDS = ['username', 'displayName', 'email', 'password', 'roles'] as const;

/** Create a user in an organisation, or edit one (name, e-mail, roles, password reset). */
export function UserForm({
  open,
  orgId,
  editing,
  assignable,
  onClose,
  onSaved,
}: {
  open: boolean;
  orgId: string;
  editing: UserView | null;
  assignable: Role[];
  onClose: () => void;
  onSaved: (user: UserView) => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<UserFormValues>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing) form.setFieldsValue({ ...editing, email: editing.email ?? undefined, password: undefined });
  }, [open, editing, form]);

  const submit = async () => {
    // An invalid form shows its messages next to the fields; nothing to send.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const email = v.email?.trim() ? v.email.trim() : null;
      const saved = editing
        ? await identityApi.updateUser(editing.id, {
            displayName: v.displayName.trim(),
            email,
            roles: v.roles,
            ...(v.password ? { password: v.password } : {}),
          })
        : await identityApi.createUser({
            orgId,
            username: v.username.trim(),
            displayName: v.displayName.trim(),
            email,
            password: v.password!,
            roles: v.roles,
          });
      onSaved(saved);
    } catch (e) {
      if (!showFieldErrors(form, e, FIELDS)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? t('users.edit') : t('users.create')}
      onCancel={onClose}
      onOk={submit}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      confirmLoading={busy}
      forceRender
      width={640}
    >
      <Form form={form} layout="vertical" name="user">
        <Form.Item
          name="username"
          label={t('users.username')}
          extra={t('users.usernameRule')}
          rules={[
            { required: true, pattern: /^[a-z0-9][a-z0-9_.-]{2,63}$/, message: t('users.usernameRule') },
          ]}
        >
          <Input disabled={Boolean(editing)} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[
            {
              required: true,
              whitespace: true,
              max: 100,
              message: t('common.required', { field: t('users.displayName') }),
            },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('users.email')}
          rules={[{ type: 'email', message: t('users.emailBad') }]}
        >
          <Input type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={editing ? t('users.passwordNew') : t('users.password')}
          extra={editing ? t('users.passwordKeep') : t('users.passwordHelp')}
          required={!editing}
        >
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item
              name="password"
              noStyle
              rules={[
                { required: !editing, min: 10, message: t('account.minLength') },
                { min: 10, message: t('account.minLength') },
              ]}
            >
              <Input
                aria-label={editing ? t('users.passwordNew') : t('users.password')}
                autoComplete="new-password"
                style={{ fontFamily: 'monospace' }}
              />
            </Form.Item>
            <Button onClick={() => form.setFieldValue('password', generatePassword())}>
              {t('users.generate')}
            </Button>
          </Space.Compact>
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('users.roles')}
          rules={[
            { required: true, type: 'array', min: 1, message: t('users.rolesRequired') },
            {
              validator: (_, roles: Role[] = []) =>
                conflicting(roles).length
                  ? Promise.reject(
                      new Error(
                        t('users.conflict', {
                          roles: conflicting(roles)
                            .map((r) => t(`role.${r}`))
                            .join(' + '),
                        }),
                      ),
                    )
                  : Promise.resolve(),
            },
          ]}
        >
          <RoleSelect assignable={assignable} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
