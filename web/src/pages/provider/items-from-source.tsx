import { useQuery } from '@tanstack/react-query';
import { App as AntApp, Form, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { fetchAll } from '../../api/identity.js';
import { sourcesApi } from '../../api/sources.js';
import { errorMessage } from '../../components/error-result.js';
import { useI18n } from '../../i18n/index.js';

type ItemValue = { name?: string; field?: string; dataType?: string; personal?: boolean };

const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The catalog's item type of a source column's type. */
function itemType(type: string): string {
  if (type === 'integer' || type === 'number' || type === 'decimal') return 'number';
  if (type === 'timestamp') return 'datetime';
  if (type === 'date' || type === 'boolean') return type;
  return 'string';
}

/**
 * Offers the columns of an uploaded file (or any source table) as the resource's items: each
 * column not yet an item becomes one, its field name (when a machine name) and type filled in,
 * the name left for the steward to put in Chinese. Items already typed are kept.
 */
export function ItemsFromSource() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const form = Form.useFormInstance();
  const [loading, setLoading] = useState(false);
  const [picked, setPicked] = useState<string>();
  const sources = useQuery({
    queryKey: ['sources'],
    queryFn: () => fetchAll((c) => sourcesApi.list({ limit: 200, cursor: c })),
  });
  const offer = async (sourceId: string) => {
    setPicked(sourceId);
    setLoading(true);
    try {
      // An uploaded file is one table.
      const found = (await sourcesApi.describe(sourceId)).tables[0];
      const current = ((form.getFieldValue('items') as ItemValue[] | undefined) ?? []).filter((i) => i?.name);
      const taken = new Set(current.flatMap((i) => [i.field, i.name]));
      const added = (found?.columns ?? [])
        .filter((c) => !taken.has(c.name))
        .map((c) => ({
          name: c.name,
          ...(FIELD.test(c.name) ? { field: c.name } : {}),
          dataType: itemType(c.type),
          personal: false,
        }));
      form.setFieldValue('items', [...current, ...added]);
      message.success(t('pv.form.itemsOffered', { n: added.length }));
    } catch (error) {
      message.error(errorMessage(error));
    } finally {
      setLoading(false);
    }
  };
  const files = (sources.data ?? []).filter((s) => s.kind === 'file');
  if (files.length === 0) return null;
  return (
    <Space wrap style={{ marginBottom: 8 }}>
      <Typography.Text>{t('pv.form.itemsFromFile')}</Typography.Text>
      <Select
        style={{ minWidth: 260 }}
        placeholder={t('pv.form.itemsFromFilePick')}
        aria-label={t('pv.form.itemsFromFile')}
        loading={loading}
        value={picked}
        onChange={(v: string) => offer(v)}
        options={files.map((s) => ({ value: s.id, label: s.name }))}
        data-testid="items-from-file"
      />
    </Space>
  );
}
