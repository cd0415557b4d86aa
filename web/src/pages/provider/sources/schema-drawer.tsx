import { useQuery } from '@tanstack/react-query';
import { Collapse, Drawer, Empty, Table, Tag } from 'antd';
import { type SourceView, sourcesApi } from '../../../api/sources.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { formatNumber } from '../../../components/format.js';
import { dataTypeName } from '../../../components/type-names.js';
import { useI18n } from '../../../i18n/index.js';

/** The tables of a source and their columns with normalised and native types. */
export function SchemaDrawer({ source, onClose }: { source: SourceView; onClose: () => void }) {
  const { t, lang } = useI18n();
  const schema = useQuery({
    queryKey: ['source-schema', source.id],
    queryFn: () => sourcesApi.describe(source.id),
  });
  return (
    <Drawer open size="large" title={t('src.tablesOf', { name: source.name })} onClose={onClose}>
      {schema.error && <ErrorAlert error={schema.error} onRetry={() => schema.refetch()} />}
      {schema.data && schema.data.tables.length === 0 && <Empty />}
      <Collapse
        items={(schema.data?.tables ?? []).map((table) => ({
          key: `${table.schema ?? ''}.${table.name}`,
          label: (
            <span>
              <code>{table.schema ? `${table.schema}.${table.name}` : table.name}</code>{' '}
              <Tag>{table.kind}</Tag>
              {table.rowEstimate !== null && `≈ ${formatNumber(table.rowEstimate, lang)} ${t('grants.rows')}`}
            </span>
          ),
          children: (
            <Table
              size="small"
              rowKey="name"
              pagination={false}
              dataSource={table.columns}
              columns={[
                { title: t('src.column'), dataIndex: 'name' },
                { title: t('src.type'), dataIndex: 'type', render: (v: string) => dataTypeName(t, v) },
                { title: t('src.nativeType'), dataIndex: 'nativeType' },
                {
                  title: t('src.nullable'),
                  key: 'n',
                  render: (_, c) => (c.nullable ? t('common.yes') : t('common.no')),
                },
              ]}
            />
          ),
        }))}
      />
    </Drawer>
  );
}
