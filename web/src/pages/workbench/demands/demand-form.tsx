import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Drawer, Form, Input, Select, Space } from 'antd';
import { type CreateDemandInput, demandsApi } from '../../../api/demands.js';
import { ErrorAlert, errorMessage } from '../../../components/error-result.js';
import { showFieldErrors } from '../../../components/form-errors.js';
import { type MessageKey, useI18n } from '../../../i18n/index.js';
import { useOrganizations } from './organizations.js';

type Values = Required<Pick<CreateDemandInput, 'title' | 'description' | 'purpose' | 'legalBasis'>> & {
  items: { name: string; description?: string }[];
  suggestedOrgId?: string;
};
const FIELDS = ['title', 'description', 'purpose', 'legalBasis', 'items', 'suggestedOrgId'];

/** 提出需求: what data, for what, on what basis, which items, and who the requester thinks holds it. */
export function DemandForm({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const orgs = useOrganizations();
  const submit = useMutation({
    mutationFn: (v: Values) => demandsApi.create(v),
    onSuccess: async () => {
      message.success(t('dm.posted'));
      await client.invalidateQueries({ queryKey: ['demands'] });
      onClose();
    },
    onError: (error) => {
      if (!showFieldErrors(form, error, FIELDS)) message.error(errorMessage(error));
    },
  });
  const required = (field: MessageKey) => [
    { required: true, whitespace: true, message: t('common.required', { field: t(field) }) },
  ];

  return (
    <Drawer
      open
      size="large"
      title={t('dm.post')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          loading={submit.isPending}
          onClick={() => form.submit()}
          data-testid="demand-submit"
        >
          {t('dm.post')}
        </Button>
      }
    >
      {submit.error && <ErrorAlert error={submit.error} action="submit" />}
      <Form<Values>
        form={form}
        name="demand"
        layout="vertical"
        scrollToFirstError={{ block: 'center' }}
        initialValues={{ items: [{ name: '' }] }}
        onFinish={(v) => submit.mutate(v)}
      >
        <Form.Item name="title" label={t('dm.name')} rules={required('dm.name')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t('dm.description')} rules={required('dm.description')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item name="purpose" label={t('dm.purpose')} rules={required('dm.purpose')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="legalBasis" label={t('dm.legalBasis')} rules={required('dm.legalBasis')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item label={t('dm.items')} required>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => (
                  <Space key={field.key} align="baseline" wrap>
                    <Form.Item name={[field.name, 'name']} rules={required('dm.itemName')}>
                      <Input
                        placeholder={t('dm.itemName')}
                        aria-label={`${t('dm.itemName')} ${i + 1}`}
                        maxLength={100}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'description']}>
                      <Input
                        placeholder={t('dm.itemNote')}
                        aria-label={`${t('dm.itemNote')} ${i + 1}`}
                        maxLength={500}
                      />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Button
                        type="text"
                        icon={<MinusCircleOutlined aria-hidden />}
                        aria-label={`${t('dm.removeItem')} ${i + 1}`}
                        onClick={() => remove(field.name)}
                      />
                    )}
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ name: '' })}>
                  {t('dm.addItem')}
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="suggestedOrgId" label={t('dm.suggested')} extra={t('dm.suggestedHint')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            loading={orgs.isPending}
            options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
