import { Table } from 'antd';
import type { SqlResult } from '../../../api/catalog.js';
import { cellText, LongValue } from '../../../components/long-value.js';
import { dataTypeName } from '../../../components/type-names.js';
import { useI18n } from '../../../i18n/index.js';

const WIDTH = 160;

/** The rows of a result: Ant Design's table, virtual beyond a hundred rows. */
export function ResultsGrid({ result }: { result: SqlResult }) {
  const { t } = useI18n();
  const big = result.rows.length > 100;
  const rows = result.rows.map((row, i) => ({ ...row, __key: i }));
  return (
    <Table
      size="small"
      rowKey="__key"
      virtual={big}
      dataSource={rows}
      pagination={big ? false : { pageSize: 20, showSizeChanger: false }}
      scroll={{ x: Math.max(600, result.columns.length * WIDTH), y: big ? 420 : undefined }}
      aria-label={t('sql.results')}
      columns={result.columns.map((c) => ({
        title: (
          <span>
            {c.name} <small style={{ color: '#595959' }}>{dataTypeName(t, c.type)}</small>
          </span>
        ),
        key: c.name,
        width: WIDTH,
        render: (_: unknown, row: Record<string, unknown>) => {
          const v = row[c.name];
          return v === null || v === undefined ? (
            <i style={{ color: '#8c8c8c' }}>NULL</i>
          ) : (
            <LongValue text={cellText(v)} limit={18} />
          );
        },
      }))}
    />
  );
}
