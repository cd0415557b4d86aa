import { App as AntApp, Checkbox, DatePicker, Form, Input, Modal } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { identityApi, type Role } from '../../api/identity.js';
import { errorMessage } from '../../components/error-result.js';
import { showFieldErrors } from '../../components/form-errors.js';
import { useI18n } from '../../i18n/index.js';

interface KeyFormValues {
  name: string;
  roles: Role[];
  expiresAt?: Dayjs | null;
}

/** Roles an API key may carry (the server's KEY_ROLES): applications consume and publish only. */
const KEY_ROLES: Role[] = ['data_steward', 'analyst'];

/** Mint a key for an application; the key itself is handed to `onCreated` to show once. */
export function KeyCreateModal({
  applicationId,
  ownRoles,
  onClose,
  onCreated,
}: {
  applicationId: string | null;
  ownRoles: Role[];
  onClose: () => void;
  onCreated: (key: string) => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<KeyFormValues>();
  const [busy, setBusy] = useState(false);
  // An organisation administrator may hand its applications any key role; others only their own.
  const grantable = (r: Role) => ownRoles.includes('org_admin') || ownRoles.includes(r);
  const allowed = KEY_ROLES.filter(grantable);

  useEffect(() => {
    if (applicationId) form.resetFields();
  }, [applicationId, form]);

  const submit = async () => {
    // An invalid form shows its messages next to the fields; nothing to send.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const created = await identityApi.createKey(applicationId!, {
        name: v.name.trim(),
        roles: v.roles,
        expiresAt: v.expiresAt ? v.expiresAt.endOf('day').toISOString() : null,
      });
      onCreated(created.key);
    } catch (e) {
      if (!showFieldErrors(form, e, ['name', 'roles', 'expiresAt'])) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={applicationId !== null}
      title={t('keys.create')}
      onCancel={onClose}
      onOk={submit}
      okText={t('action.create')}
      cancelText={t('action.cancel')}
      confirmLoading={busy}
      forceRender
    >
      <Form form={form} layout="vertical" name="api-key" initialValues={{ roles: allowed.slice(-1) }}>
        <Form.Item
          name="name"
          label={t('keys.name')}
          rules={[
            {
              required: true,
              whitespace: true,
              max: 100,
              message: t('common.required', { field: t('keys.name') }),
            },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('keys.roles')}
          extra={t('keys.rolesHelp')}
          rules={[{ required: true, type: 'array', min: 1, message: t('users.rolesRequired') }]}
        >
          <Checkbox.Group
            options={KEY_ROLES.map((r) => ({ value: r, label: t(`role.${r}`), disabled: !grantable(r) }))}
          />
        </Form.Item>
        <Form.Item name="expiresAt" label={t('keys.expires')} extra={t('keys.expiresHelp')}>
          <DatePicker disabledDate={(d) => d.isBefore(new Date(), 'day')} style={{ width: 220 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
