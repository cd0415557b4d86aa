import { Button, Collapse, Empty, Input, Typography } from 'antd';
import { useI18n } from '../../../i18n/index.js';
import type { SqlTable } from './sql-schema.js';

/** The resources the SQL can name, each with its editable alias and its columns (click inserts). */
export function TablesPanel({
  tables,
  aliases,
  onAlias,
  onInsert,
}: {
  tables: SqlTable[];
  aliases: Record<string, string>;
  onAlias: (code: string, alias: string) => void;
  onInsert: (text: string) => void;
}) {
  const { t } = useI18n();
  if (tables.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('sql.noTables')} />;
  return (
    <Collapse
      size="small"
      items={tables.map((table) => {
        const alias = aliases[table.code] ?? table.alias;
        return {
          key: table.code,
          label: (
            <span>
              <code>{alias}</code> {table.name}
            </span>
          ),
          children: (
            <div style={{ display: 'grid', gap: 6 }}>
              <Typography.Text type="secondary" copyable={{ text: table.code }} style={{ fontSize: 12 }}>
                {table.code}
              </Typography.Text>
              <Input
                size="small"
                addonBefore={t('sql.alias')}
                aria-label={`${t('sql.alias')} ${table.name}`}
                value={alias}
                onChange={(e) => onAlias(table.code, e.target.value.replace(/[^A-Za-z0-9_]/g, ''))}
              />
              <div>
                {table.columns.map((c) => (
                  <Button
                    key={c.name}
                    size="small"
                    type="dashed"
                    style={{ margin: '0 4px 4px 0' }}
                    title={`${c.label} · ${t('sql.insert')}`}
                    onClick={() => onInsert(`${alias}.${c.name}`)}
                  >
                    {c.name}
                  </Button>
                ))}
              </div>
            </div>
          ),
        };
      })}
    />
  );
}
