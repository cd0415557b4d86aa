import { App as AntApp, Form, Input, Modal } from 'antd';
import { useEffect, useState } from 'react';
import { type ApplicationView, identityApi } from '../../api/identity.js';
import { errorMessage } from '../../components/error-result.js';
import { showFieldErrors } from '../../components/form-errors.js';
import { useI18n } from '../../i18n/index.js';

/** Register or edit an application (应用系统) of the caller's organisation. */
export function ApplicationForm({
  open,
  editing,
  onClose,
  onSaved,
}: {
  open: boolean;
  editing: ApplicationView | null;
  onClose: () => void;
  onSaved: (app: ApplicationView) => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ name: string; description?: string }>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing) form.setFieldsValue(editing);
  }, [open, editing, form]);

  const submit = async () => {
    // An invalid form shows its messages next to the fields; nothing to send.
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const body = { name: v.name.trim(), description: v.description?.trim() ?? '' };
      onSaved(
        editing
          ? await identityApi.updateApplication(editing.id, body)
          : await identityApi.createApplication(body),
      );
    } catch (e) {
      if (!showFieldErrors(form, e, ['name', 'description'])) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={editing ? t('apps.edit') : t('apps.create')}
      onCancel={onClose}
      onOk={submit}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      confirmLoading={busy}
      forceRender
    >
      <Form form={form} layout="vertical" name="application">
        <Form.Item
          name="name"
          label={t('apps.name')}
          rules={[
            {
              required: true,
              whitespace: true,
              max: 100,
              message: t('common.required', { field: t('apps.name') }),
            },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('apps.description')} rules={[{ max: 2000 }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
