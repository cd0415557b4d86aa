import { useQuery } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Form, Input, InputNumber, Select, Space, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { type ClassificationView, catalogApi, type ResourceView } from '../../api/catalog.js';
import type { CatalogChange } from '../../api/catalog-review.js';
import { errorMessage } from '../../components/error-result.js';
import { showFieldErrors } from '../../components/form-errors.js';
import { useI18n } from '../../i18n/index.js';
import { ItemsEditor } from './items-editor.js';
import { EMPTY_RESOURCE, type ResourceFormValues, toFormValues } from './resource-form-values.js';
import { SharingFields } from './sharing-fields.js';

const CYCLES = [
  'realtime',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'half_yearly',
  'yearly',
  'irregular',
] as const;
const FIELDS = [
  'code',
  'name',
  'classificationCode',
  'summary',
  'format',
  'items',
  'sharingType',
  'sharingConditions',
  'sharingMethods',
  'legalBasis',
  'openType',
  'openConditions',
  'updateCycle',
  'grade',
  'gradeLevel',
  'tags',
  'keywords',
  'licence',
  'relatedCodes',
];

interface TreeNode {
  value: string;
  title: string;
  children: TreeNode[];
}

function classificationTree(items: ClassificationView[]): TreeNode[] {
  const nodes = new Map(
    items.map((c) => [c.code, { value: c.code, title: `${c.code} ${c.name}`, children: [] as TreeNode[] }]),
  );
  const roots: TreeNode[] = [];
  for (const c of items)
    (c.parentCode && nodes.get(c.parentCode) ? nodes.get(c.parentCode)!.children : roots).push(
      nodes.get(c.code)!,
    );
  return roots;
}

/** Create or edit a resource, section by section as the national catalog guide orders its fields. */
export function ResourceForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing: ResourceView | null;
  /** The resource, or (a published entry where catalog review is required) the pending change. */
  onSaved: (r: ResourceView | CatalogChange) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<ResourceFormValues>();
  const [busy, setBusy] = useState(false);
  const classifications = useQuery({
    queryKey: ['classifications'],
    queryFn: catalogApi.classifications,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const tree = useMemo(() => classificationTree(classifications.data?.items ?? []), [classifications.data]);
  const grade = Form.useWatch('grade', form);

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(editing ? toFormValues(editing) : EMPTY_RESOURCE);
  }, [editing, form]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return message.error(t('pv.form.invalid'));
    setBusy(true);
    try {
      const { code, ...fields } = values;
      const body = { ...fields, gradeLevel: fields.grade === 'general' ? (fields.gradeLevel ?? null) : null };
      onSaved(
        editing
          ? await catalogApi.updateResource(editing.code, body)
          : await catalogApi.createResource({ ...body, ...(code ? { code } : {}) }),
      );
    } catch (e) {
      if (!showFieldErrors(form, e, FIELDS)) message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" name="resource" scrollToFirstError>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('pv.form.basic')}>
          <Form.Item
            name="name"
            label={t('res.name')}
            rules={[
              {
                required: true,
                whitespace: true,
                max: 200,
                message: t('common.required', { field: t('res.name') }),
              },
            ]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <div className="ht-form-grid">
            <Form.Item
              name="code"
              label={t('res.code')}
              extra={t('pv.form.codeHelp')}
              rules={[{ pattern: /^[0-9A-Z][0-9A-Z-]{2,63}$/, message: t('res.code') }]}
            >
              <Input disabled={Boolean(editing)} style={{ fontFamily: 'monospace' }} />
            </Form.Item>
            <Form.Item
              name="classificationCode"
              label={t('res.classification')}
              extra={t('pv.form.classificationHelp')}
              rules={[{ required: true, message: t('common.required', { field: t('res.classification') }) }]}
            >
              <TreeSelect
                treeData={tree}
                showSearch={{ treeNodeFilterProp: 'title' }}
                loading={classifications.isPending}
                aria-label={t('res.classification')}
              />
            </Form.Item>
            <Form.Item
              name="format"
              label={t('res.format')}
              rules={[{ required: true, whitespace: true, max: 40 }]}
            >
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name="updateCycle" label={t('res.updateCycle')} rules={[{ required: true }]}>
              <Select options={CYCLES.map((c) => ({ value: c, label: t(`cycle.${c}`) }))} />
            </Form.Item>
          </div>
          <Form.Item
            name="summary"
            label={t('res.summary')}
            rules={[
              {
                required: true,
                whitespace: true,
                max: 4000,
                message: t('common.required', { field: t('res.summary') }),
              },
            ]}
          >
            <Input.TextArea rows={3} maxLength={4000} showCount />
          </Form.Item>
        </Card>
        <Card title={t('pv.form.items')}>
          <ItemsEditor />
        </Card>
        <Card title={t('pv.form.sharing')}>
          <SharingFields />
        </Card>
        <Card title={t('pv.form.other')}>
          <div className="ht-form-grid">
            <Form.Item name="grade" label={t('res.grade')} rules={[{ required: true }]}>
              <Select
                options={(['general', 'important', 'core'] as const).map((g) => ({
                  value: g,
                  label: t(`grade.${g}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="gradeLevel" label={t('res.gradeLevel')} extra={t('pv.form.levelOnlyGeneral')}>
              <InputNumber min={1} max={4} disabled={grade !== 'general'} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="tags" label={t('res.tags')} extra={t('pv.form.tagsHelp')}>
              <Select mode="tags" open={false} aria-label={t('res.tags')} />
            </Form.Item>
            <Form.Item name="keywords" label={t('res.keywords')} extra={t('pv.form.tagsHelp')}>
              <Select mode="tags" open={false} aria-label={t('res.keywords')} />
            </Form.Item>
            <Form.Item name="relatedCodes" label={t('res.relatedCodes')} extra={t('pv.form.tagsHelp')}>
              <Select mode="tags" open={false} aria-label={t('res.relatedCodes')} />
            </Form.Item>
            <Form.Item name="licence" label={t('res.licence')}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name={['contact', 'name']} label={`${t('res.contact')} · ${t('users.displayName')}`}>
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name={['contact', 'phone']} label={`${t('res.contact')} · ☎`}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item
              name={['contact', 'email']}
              label={`${t('res.contact')} · ${t('users.email')}`}
              rules={[{ type: 'email', message: t('users.emailBad') }]}
            >
              <Input />
            </Form.Item>
          </div>
        </Card>
        <Space>
          <Button type="primary" onClick={submit} loading={busy} data-testid="resource-save">
            {t('action.save')}
          </Button>
          <Button onClick={onCancel}>{t('action.cancel')}</Button>
        </Space>
      </Space>
    </Form>
  );
}
