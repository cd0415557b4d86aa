import { useMutation } from '@tanstack/react-query';
import { App as AntApp, Button, Drawer, Form, Input, InputNumber, Segmented, Select } from 'antd';
import { useState } from 'react';
import { type CreateSourceInput, sourcesApi } from '../../../api/sources.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { showFieldErrors } from '../../../components/form-errors.js';
import { type MessageKey, useI18n } from '../../../i18n/index.js';

type Kind = 'postgres' | 'mysql' | 'http_json';
const PORTS: Record<Kind, number> = { postgres: 5432, mysql: 3306, http_json: 0 };
const FIELDS = ['name', 'host', 'port', 'database', 'user', 'password', 'url', 'recordsPath'];

/** Registers a PostgreSQL, MySQL/MariaDB or HTTP JSON source; secrets go in once and never come back. */
export function SourceForm({ onClose, onSaved }: { onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [kind, setKind] = useState<Kind>('postgres');
  const [form] = Form.useForm();
  const save = useMutation({
    mutationFn: (v: Record<string, unknown>) => sourcesApi.create({ ...v, kind } as CreateSourceInput),
    onSuccess: () => {
      message.success(t('src.registered'));
      onSaved();
    },
    onError: (error) => showFieldErrors(form, error, FIELDS),
  });
  const req = (field: MessageKey) => [{ required: true, message: t('common.required', { field: t(field) }) }];

  return (
    <Drawer
      open
      size="default"
      title={t('src.register')}
      onClose={onClose}
      extra={
        <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
          {t('action.save')}
        </Button>
      }
    >
      <Segmented<Kind>
        block
        value={kind}
        onChange={(k) => {
          setKind(k);
          if (k !== 'http_json') form.setFieldValue('port', PORTS[k]);
        }}
        aria-label={t('src.kind')}
        options={(['postgres', 'mysql', 'http_json'] as const).map((k) => ({
          value: k,
          label: t(`src.kind.${k}`),
        }))}
        style={{ marginBottom: 16 }}
      />
      {save.error && <ErrorAlert error={save.error} action="save" />}
      <Form
        form={form}
        name="source"
        layout="vertical"
        initialValues={{ port: 5432 }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="name" label={t('common.name')} rules={req('common.name')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="description" label={t('common.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        {kind === 'http_json' ? (
          <>
            <Form.Item name="url" label={t('src.url')} rules={req('src.url')}>
              <Input placeholder="https://api.example.gov.cn/v1/records" />
            </Form.Item>
            <Form.Item name="recordsPath" label={t('src.recordsPath')} extra={t('src.recordsPathHelp')}>
              <Input placeholder="data.items" />
            </Form.Item>
            <Form.Item name="authHeaderValue" label={t('src.authHeader')} extra={t('src.secretHelp')}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
          </>
        ) : (
          <>
            <Form.Item name="host" label={t('src.host')} rules={req('src.host')}>
              <Input />
            </Form.Item>
            <Form.Item name="port" label={t('src.port')} rules={req('src.port')}>
              <InputNumber min={1} max={65535} />
            </Form.Item>
            <Form.Item name="database" label={t('src.database')} rules={req('src.database')}>
              <Input />
            </Form.Item>
            <Form.Item name="user" label={t('src.user')} rules={req('src.user')}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="password" label={t('src.password')} extra={t('src.secretHelp')}>
              <Input.Password autoComplete="new-password" />
            </Form.Item>
            <Form.Item name={['tls', 'mode']} label="TLS" initialValue="disable">
              <Select options={['disable', 'require', 'verify-full'].map((m) => ({ value: m, label: m }))} />
            </Form.Item>
          </>
        )}
      </Form>
    </Drawer>
  );
}
