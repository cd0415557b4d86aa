import { Table, Tag } from 'antd';
import type { ItemView } from '../../api/catalog.js';
import { GradeTag } from '../../components/catalog/vocab.js';
import { dataTypeName } from '../../components/type-names.js';
import { useI18n } from '../../i18n/index.js';

/** The items (信息项) of a resource, personal ones marked with their kind. */
export function ItemsTable({ items }: { items: ItemView[] }) {
  const { t } = useI18n();
  return (
    <Table<ItemView>
      rowKey={(item) => item.field ?? item.name}
      size="small"
      pagination={false}
      dataSource={items}
      scroll={{ x: 800 }}
      columns={[
        { title: '#', key: 'n', width: 48, render: (_, __, i) => i + 1 },
        { title: t('item.name'), dataIndex: 'name' },
        {
          title: t('item.field'),
          dataIndex: 'field',
          render: (f: string | null) => (f ? <code>{f}</code> : '—'),
        },
        {
          title: t('item.dataType'),
          dataIndex: 'dataType',
          width: 100,
          render: (d: string) => dataTypeName(t, d),
        },
        { title: t('item.length'), dataIndex: 'length', width: 80, render: (n: number | null) => n ?? '—' },
        {
          title: t('item.personal'),
          key: 'personal',
          render: (_, item) =>
            item.personal ? (
              <Tag color="magenta">{item.personalKind ? t(`pk.${item.personalKind}`) : t('common.yes')}</Tag>
            ) : (
              '—'
            ),
        },
        {
          title: t('item.grade'),
          dataIndex: 'grade',
          render: (g: ItemView['grade']) => (g ? <GradeTag t={t} value={g} /> : '—'),
        },
        { title: t('item.description'), dataIndex: 'description', render: (d: string) => d || '—' },
      ]}
    />
  );
}
