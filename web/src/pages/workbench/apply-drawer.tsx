import { useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate } from 'react-router-dom';
import type { NodeRef, ResourceView } from '../../api/catalog.js';
import { federationApi } from '../../api/federation.js';
import { fetchAll, identityApi } from '../../api/identity.js';
import { sharingApi } from '../../api/sharing.js';
import { GradeTag } from '../../components/catalog/vocab.js';
import { CheckboxGroupField } from '../../components/checkbox-group-field.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { showFieldErrors } from '../../components/form-errors.js';
import { type MessageKey, useI18n } from '../../i18n/index.js';

interface Values {
  applicationId: string;
  items: string[];
  purpose: string;
  legalBasis: string;
  use: 'detail' | 'statistics' | 'verification' | 'sandbox';
  validUntil: Dayjs;
  expectedCallsPerDay?: number;
  expectedRowsPerDay?: number;
}
const FIELDS = ['applicationId', 'items', 'purpose', 'legalBasis', 'use', 'validUntil'];

/**
 * 共享申请: the resource's conditions beside a form of what is asked, for what and how long. With
 * `node` (another node's entry, 跨节点共享申请) the same form is sent from this node to that one,
 * whose steward decides; a provider not reachable yet answers `sending` and is sent it again.
 */
export function ApplyDrawer({
  resource: r,
  node,
  onClose,
}: {
  resource: ResourceView;
  node?: NodeRef;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const apps = useQuery({
    queryKey: ['applications'],
    queryFn: () => fetchAll((cursor) => identityApi.applications({ limit: 200, cursor })),
  });
  const submit = useMutation({
    mutationFn: async (v: Values) => {
      const body = { ...v, resourceCode: r.code, validUntil: v.validUntil.endOf('day').toISOString() };
      if (!node) {
        await sharingApi.createRequest(body);
        return 'filed';
      }
      const sent = await federationApi.createRemoteRequest({ ...body, providerNodeId: node.nodeId });
      return sent.status === 'sending' ? 'sending' : 'filed';
    },
    onSuccess: (outcome) => {
      if (!node) message.success(t('apply.submitted'));
      // 202: recorded here, the provider not reached yet; said for long enough to be read.
      else if (outcome === 'sending') message.warning(t('fedreq.sendingNotice', { node: node.name }), 10);
      else message.success(t('fedreq.submitted', { node: node.name }));
      onClose();
      navigate(node ? '/workbench/remote-requests' : '/workbench/requests');
    },
    // Beside the field it names, or else as a message: the alert above the form may be out of view.
    onError: (error) => {
      if (!showFieldErrors(form, error, FIELDS)) message.error(errorMessage(error));
    },
  });
  const required = (field: MessageKey) => [
    { required: true, message: t('common.required', { field: t(field) }) },
  ];

  return (
    <Drawer
      open
      size="large"
      title={t('apply.title', { name: r.name })}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          loading={submit.isPending}
          onClick={() => form.submit()}
          data-testid="apply-submit"
        >
          {t('apply.submit')}
        </Button>
      }
    >
      <Descriptions
        bordered
        size="small"
        column={1}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'c', label: t('apply.conditions'), children: r.sharingConditions || t('common.none') },
          {
            key: 'm',
            label: t('apply.methods'),
            children: r.sharingMethods.map((m) => <Tag key={m}>{t(`method.${m}` as MessageKey)}</Tag>),
          },
          { key: 'b', label: t('apply.resourceBasis'), children: r.legalBasis || t('common.none') },
          { key: 'g', label: t('apply.grade'), children: <GradeTag t={t} value={r.grade} /> },
        ]}
      />
      {node && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="apply-remote-note"
          title={t('fedreq.applyNote', { node: node.name })}
        />
      )}
      {submit.error && <ErrorAlert error={submit.error} action="submit" />}
      <Form<Values>
        form={form}
        name="apply"
        layout="vertical"
        scrollToFirstError={{ block: 'center' }}
        onFinish={(v) => submit.mutate(v)}
        initialValues={{ use: 'detail', items: [], validUntil: dayjs().add(1, 'year') }}
      >
        <Form.Item
          name="applicationId"
          label={t('apply.application')}
          extra={t('apply.applicationHelp')}
          rules={required('apply.application')}
        >
          <Select
            loading={apps.isPending}
            notFoundContent={t('apply.noApps')}
            options={(apps.data ?? []).map((a) => ({ value: a.id, label: a.name }))}
          />
        </Form.Item>
        <Form.Item
          name="items"
          label={t('apply.items')}
          extra={t('apply.itemsHelp')}
          rules={required('apply.items')}
        >
          <CheckboxGroupField aria-label={t('apply.items')} style={{ display: 'grid', gap: 4 }}>
            {r.items.map((item) => (
              <Checkbox key={item.name} value={item.name}>
                {item.name}
                {item.field && <code style={{ marginLeft: 6 }}>{item.field}</code>}
                {item.personalKind && (
                  <Tag color="orange" style={{ marginLeft: 6 }}>
                    {t('apply.personal')}
                  </Tag>
                )}
              </Checkbox>
            ))}
          </CheckboxGroupField>
        </Form.Item>
        <Form.Item
          name="purpose"
          label={t('apply.purpose')}
          extra={t('apply.purposeHelp')}
          rules={required('apply.purpose')}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="legalBasis"
          label={t('apply.legalBasis')}
          extra={t('apply.legalBasisHelp')}
          rules={required('apply.legalBasis')}
        >
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Space wrap size={16}>
          <Form.Item name="use" label={t('apply.use')}>
            <Select
              style={{ width: 160 }}
              options={(['detail', 'statistics', 'verification', 'sandbox'] as const).map((u) => ({
                value: u,
                label: t(`apply.use.${u}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="validUntil" label={t('apply.validUntil')} rules={required('apply.validUntil')}>
            <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item name="expectedCallsPerDay" label={t('apply.callsPerDay')}>
            <InputNumber min={1} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="expectedRowsPerDay" label={t('apply.rowsPerDay')}>
            <InputNumber min={1} style={{ width: 160 }} />
          </Form.Item>
        </Space>
      </Form>
    </Drawer>
  );
}
