import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Select, Space } from 'antd';
import type { ItemFilter } from '../../../api/sharing.js';
import { useI18n } from '../../../i18n/index.js';

/** One condition as the form holds it; `toFilter` turns it into the API's shape. */
export interface FilterRow {
  item?: string;
  op?: ItemFilter['op'];
  value?: string;
  max?: string;
}

const scalar = (text: string): string | number =>
  /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text.trim();

/** The API's condition for a form row, or null when incomplete. */
export function toFilter(row: FilterRow): ItemFilter | null {
  if (!row.item || !row.op) return null;
  const v = row.value ?? '';
  switch (row.op) {
    case 'eq':
      return { item: row.item, op: 'eq', value: scalar(v) };
    case 'in':
      return { item: row.item, op: 'in', values: v.split(/[,，]/).filter(Boolean).map(scalar) };
    case 'range':
      return {
        item: row.item,
        op: 'range',
        ...(v ? { min: scalar(v) } : {}),
        ...(row.max ? { max: scalar(row.max) } : {}),
        maxInclusive: true,
      };
    case 'like':
      return { item: row.item, op: 'like', pattern: v };
    case 'is_null':
      return { item: row.item, op: 'is_null', value: v !== 'false' };
  }
}

const OPS: ItemFilter['op'][] = ['eq', 'in', 'range', 'like', 'is_null'];

/** ANDed row conditions over the resource's items (Form.List named `rowFilter`). */
export function RowFilterBuilder({ items }: { items: string[] }) {
  const { t } = useI18n();
  return (
    <Form.List name="rowFilter">
      {(fields, { add, remove }) => (
        <div>
          {fields.map((f, i) => (
            <Space key={f.key} wrap align="start" style={{ marginBottom: 8 }}>
              <Form.Item name={[f.name, 'item']} noStyle>
                <Select
                  aria-label={`${t('rev.filterItem')} ${i + 1}`}
                  placeholder={t('rev.filterItem')}
                  style={{ width: 160 }}
                  options={items.map((n) => ({ value: n, label: n }))}
                />
              </Form.Item>
              <Form.Item name={[f.name, 'op']} noStyle>
                <Select
                  aria-label={`${t('rev.filterOp')} ${i + 1}`}
                  style={{ width: 130 }}
                  options={OPS.map((op) => ({ value: op, label: t(`rev.op.${op}`) }))}
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {({ getFieldValue }) => {
                  const op = getFieldValue(['rowFilter', f.name, 'op']) as ItemFilter['op'] | undefined;
                  return (
                    <Space>
                      <Form.Item name={[f.name, 'value']} noStyle>
                        <Input
                          aria-label={`${t('rev.filterValue')} ${i + 1}`}
                          placeholder={t(
                            op === 'in' ? 'rev.valuesHint' : op === 'range' ? 'rev.min' : 'rev.filterValue',
                          )}
                          style={{ width: 180 }}
                        />
                      </Form.Item>
                      {op === 'range' && (
                        <Form.Item name={[f.name, 'max']} noStyle>
                          <Input
                            aria-label={`${t('rev.max')} ${i + 1}`}
                            placeholder={t('rev.max')}
                            style={{ width: 120 }}
                          />
                        </Form.Item>
                      )}
                    </Space>
                  );
                }}
              </Form.Item>
              <Button
                icon={<DeleteOutlined />}
                aria-label={`${t('rev.removeFilter')} ${i + 1}`}
                onClick={() => remove(f.name)}
              />
            </Space>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({ op: 'eq' })} data-testid="filter-add">
            {t('rev.addFilter')}
          </Button>
        </div>
      )}
    </Form.List>
  );
}
