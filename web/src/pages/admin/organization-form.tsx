import { App as AntApp, Form, Input, Modal, Select } from 'antd';
import { useEffect, useState } from 'react';
import type { OrganizationKind, OrganizationLevel, OrganizationView } from '../../api/identity.js';
import { identityApi } from '../../api/identity.js';
import { isValidCreditCode } from '../../components/credit-code.js';
import { errorMessage } from '../../components/error-result.js';
import { showFieldErrors } from '../../components/form-errors.js';
import { RegionPicker } from '../../components/region-picker.js';
import { useI18n } from '../../i18n/index.js';

export interface OrganizationFormValues {
  name: string;
  kind: OrganizationKind;
  level: OrganizationLevel;
  regionCode: string;
  parentId?: string | null;
  creditCode?: string;
}

const KINDS: OrganizationKind[] = ['department', 'enterprise', 'platform'];
const LEVELS: OrganizationLevel[] = ['national', 'provincial', 'municipal', 'county'];
const FIELDS = ['name', 'kind', 'level', 'regionCode', 'parentId', 'creditCode'] as const;

/** Register or edit an organisation: GB/T 2260 region picker, GB 32100 credit-code check. */
export function OrganizationForm({
  open,
  editing,
  organizations,
  onClose,
  onSaved,
}: {
  open: boolean;
  editing: OrganizationView | null;
  organizations: OrganizationView[];
  onClose: () => void;
  onSaved: (saved: OrganizationView) => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<OrganizationFormValues>();
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing) form.setFieldsValue({ ...editing, creditCode: editing.creditCode ?? undefined });
  }, [open, editing, form]);

  const submit = async () => {
    // An invalid form shows its messages next to the fields; nothing to send.
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const body = {
      name: values.name.trim(),
      kind: values.kind,
      level: values.level,
      regionCode: values.regionCode,
      parentId: values.parentId ?? null,
      creditCode: values.creditCode?.trim() ? values.creditCode.trim().toUpperCase() : null,
    };
    setBusy(true);
    try {
      const saved = editing
        ? await identityApi.updateOrganization(editing.id, body)
        : await identityApi.createOrganization(body);
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
      title={editing ? t('org.edit') : t('org.create')}
      onCancel={onClose}
      onOk={submit}
      okText={t('action.save')}
      cancelText={t('action.cancel')}
      confirmLoading={busy}
      // Kept mounted so the form instance is always connected; reset on every open.
      forceRender
      width={640}
    >
      <Form
        form={form}
        layout="vertical"
        name="organization"
        initialValues={{ kind: 'department', level: 'provincial' }}
      >
        <Form.Item
          name="name"
          label={t('org.name')}
          rules={[
            {
              required: true,
              whitespace: true,
              max: 200,
              message: t('common.required', { field: t('org.name') }),
            },
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
          <Form.Item name="kind" label={t('org.kind')} rules={[{ required: true }]}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="level" label={t('org.level')} rules={[{ required: true }]}>
            <Select options={LEVELS.map((l) => ({ value: l, label: t(`level.${l}`) }))} />
          </Form.Item>
        </div>
        <Form.Item
          name="regionCode"
          label={t('org.region')}
          rules={[
            { required: true, message: t('org.regionRequired') },
            { pattern: /^\d{6}$/, message: t('org.regionRequired') },
          ]}
        >
          <RegionPicker />
        </Form.Item>
        <Form.Item name="parentId" label={t('org.parent')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={organizations
              .filter((o) => o.id !== editing?.id)
              .map((o) => ({ value: o.id, label: o.name }))}
          />
        </Form.Item>
        <Form.Item
          name="creditCode"
          label={t('org.creditCode')}
          extra={t('org.creditCodeHelp')}
          normalize={(v: string) => v?.toUpperCase()}
          rules={[
            { required: kind === 'enterprise', message: t('org.creditCodeRequired') },
            {
              validator: (_, value?: string) =>
                !value || isValidCreditCode(value.trim())
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('org.creditCodeBad'))),
            },
          ]}
        >
          <Input maxLength={18} style={{ fontFamily: 'monospace' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
