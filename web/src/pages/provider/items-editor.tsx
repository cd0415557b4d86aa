import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Form, Input, InputNumber, Select, Table } from 'antd';
import { dataTypeName } from '../../components/type-names.js';
import { useI18n } from '../../i18n/index.js';
import { ItemsFromSource } from './items-from-source.js';

const DATA_TYPES = ['string', 'number', 'date', 'datetime', 'boolean', 'binary'] as const;
const KINDS = [
  'basic',
  'identity_document',
  'biometric',
  'bank_account',
  'communication',
  'property',
  'credit',
  'location',
  'health',
  'transaction',
  'minor',
  'other',
] as const;
const GRADES = ['general', 'important', 'core'] as const;

/** The items (信息项) as an editable table: name, field, type, length, personal kind, grade. */
export function ItemsEditor() {
  const { t } = useI18n();
  return (
    <Form.List name="items">
      {(fields, { add, remove }) => (
        <>
          <ItemsFromSource />
          <Table
            size="small"
            pagination={false}
            dataSource={fields}
            rowKey="key"
            scroll={{ x: 1000 }}
            columns={[
              {
                title: t('item.name'),
                key: 'name',
                render: (_, f) => (
                  <Form.Item
                    name={[f.name, 'name']}
                    noStyle
                    rules={[
                      {
                        required: true,
                        whitespace: true,
                        message: t('common.required', { field: t('item.name') }),
                      },
                    ]}
                  >
                    <Input aria-label={`${t('item.name')} ${f.name + 1}`} maxLength={100} />
                  </Form.Item>
                ),
              },
              {
                title: t('item.field'),
                key: 'field',
                render: (_, f) => (
                  <Form.Item
                    name={[f.name, 'field']}
                    noStyle
                    rules={[{ pattern: /^[A-Za-z_][A-Za-z0-9_]{0,62}$/ }]}
                  >
                    <Input
                      aria-label={`${t('item.field')} ${f.name + 1}`}
                      style={{ fontFamily: 'monospace' }}
                    />
                  </Form.Item>
                ),
              },
              {
                title: t('item.dataType'),
                key: 'dataType',
                width: 120,
                render: (_, f) => (
                  <Form.Item name={[f.name, 'dataType']} noStyle rules={[{ required: true }]}>
                    <Select
                      aria-label={`${t('item.dataType')} ${f.name + 1}`}
                      options={DATA_TYPES.map((d) => ({ value: d, label: dataTypeName(t, d) }))}
                    />
                  </Form.Item>
                ),
              },
              {
                title: t('item.length'),
                key: 'length',
                width: 100,
                render: (_, f) => (
                  <Form.Item name={[f.name, 'length']} noStyle>
                    <InputNumber
                      aria-label={`${t('item.length')} ${f.name + 1}`}
                      min={1}
                      max={1_000_000}
                      style={{ width: '100%' }}
                    />
                  </Form.Item>
                ),
              },
              {
                title: t('item.personal'),
                key: 'personal',
                width: 70,
                render: (_, f) => (
                  <Form.Item name={[f.name, 'personal']} noStyle valuePropName="checked">
                    <Checkbox aria-label={`${t('item.personal')} ${f.name + 1}`} />
                  </Form.Item>
                ),
              },
              {
                title: t('item.personalKind'),
                key: 'personalKind',
                width: 160,
                render: (_, f) => (
                  <Form.Item name={[f.name, 'personalKind']} noStyle>
                    <Select
                      allowClear
                      aria-label={`${t('item.personalKind')} ${f.name + 1}`}
                      options={KINDS.map((k) => ({ value: k, label: t(`pk.${k}`) }))}
                    />
                  </Form.Item>
                ),
              },
              {
                title: t('item.grade'),
                key: 'grade',
                width: 120,
                render: (_, f) => (
                  <Form.Item name={[f.name, 'grade']} noStyle>
                    <Select
                      allowClear
                      aria-label={`${t('item.grade')} ${f.name + 1}`}
                      options={GRADES.map((g) => ({ value: g, label: t(`grade.${g}`) }))}
                    />
                  </Form.Item>
                ),
              },
              {
                title: '',
                key: 'remove',
                width: 56,
                render: (_, f) => (
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => remove(f.name)}
                    aria-label={`${t('pv.form.removeItem')} ${f.name + 1}`}
                  />
                ),
              },
            ]}
          />
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            onClick={() => add({ dataType: 'string', personal: false })}
            style={{ marginTop: 8 }}
            block
          >
            {t('pv.form.addItem')}
          </Button>
        </>
      )}
    </Form.List>
  );
}
