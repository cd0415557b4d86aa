import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Drawer, Form, Input } from 'antd';
import { objectionsApi } from '../../../api/objections.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { useI18n } from '../../../i18n/index.js';

interface Values {
  resourceCode: string;
  keyColumn: string;
  rowKeys: string;
  items: string;
  description: string;
  expected: string;
  evidence?: string;
}

const split = (text: string) =>
  text
    .split(/[,，、\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** 提出异议: which rows (by a key column as delivered), which items, what is wrong, what is right. */
export function RaiseDrawer({ resourceCode, onClose }: { resourceCode?: string; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const raise = useMutation({
    mutationFn: async () => {
      const v = await form.validateFields();
      return objectionsApi.raise({
        resourceCode: v.resourceCode.trim(),
        keyColumn: v.keyColumn.trim(),
        rowKeys: split(v.rowKeys),
        items: split(v.items),
        description: v.description,
        expected: v.expected,
        evidence: v.evidence ?? '',
      });
    },
    onSuccess: () => {
      message.success(t('obj.raised'));
      client.invalidateQueries({ queryKey: ['objections'] });
      onClose();
    },
  });
  const required = [{ required: true, whitespace: true, message: t('obj.required') }];
  return (
    <Drawer
      open
      width={560}
      title={t('obj.raise.title')}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          loading={raise.isPending}
          onClick={() => raise.mutate()}
          data-testid="objection-submit"
        >
          {t('obj.submit')}
        </Button>
      }
    >
      {raise.error && <ErrorAlert error={raise.error} />}
      <Form form={form} layout="vertical" initialValues={{ resourceCode }}>
        <Form.Item name="resourceCode" label={t('obj.resourceCode')} rules={required}>
          <Input maxLength={100} data-testid="objection-resource" />
        </Form.Item>
        <Form.Item
          name="keyColumn"
          label={t('obj.keyColumn')}
          extra={t('obj.keyColumn.help')}
          rules={required}
        >
          <Input maxLength={128} data-testid="objection-key-column" />
        </Form.Item>
        <Form.Item name="rowKeys" label={t('obj.rowKeys')} extra={t('obj.rowKeys.help')} rules={required}>
          <Input.TextArea rows={2} data-testid="objection-row-keys" />
        </Form.Item>
        <Form.Item name="items" label={t('obj.items')} extra={t('obj.items.help')} rules={required}>
          <Input data-testid="objection-items" />
        </Form.Item>
        <Form.Item name="description" label={t('obj.description')} rules={required}>
          <Input.TextArea rows={3} maxLength={2000} data-testid="objection-description" />
        </Form.Item>
        <Form.Item name="expected" label={t('obj.expected')} rules={required}>
          <Input.TextArea rows={2} maxLength={2000} data-testid="objection-expected" />
        </Form.Item>
        <Form.Item name="evidence" label={t('obj.evidence')}>
          <Input.TextArea rows={2} maxLength={4000} data-testid="objection-evidence" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
