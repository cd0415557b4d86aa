import { useQuery } from '@tanstack/react-query';
import { Alert, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { catalogApi } from '../../api/catalog.js';
import { errorMessage } from '../../components/error-result.js';
import { cellText, LongValue } from '../../components/long-value.js';
import { useI18n } from '../../i18n/index.js';

const PREVIEW_ROWS = 10;

/** The first rows the caller may read, through the one data path (/resources/{code}/rows). */
export function RowsPreview({ code, objectable = false }: { code: string; objectable?: boolean }) {
  const { t } = useI18n();
  const rows = useQuery({
    queryKey: ['rows-preview', code],
    queryFn: () => catalogApi.rows(code, { limit: PREVIEW_ROWS }),
    retry: false,
  });
  if (rows.error)
    return <Alert type="info" showIcon title={t('res.previewNone')} description={errorMessage(rows.error)} />;
  const columns = rows.data?.columns ?? [];
  const disputed = new Set(rows.data?.disputed ?? []);
  return (
    <>
      <Typography.Paragraph type="secondary">
        {t('res.previewHint', { n: PREVIEW_ROWS })}
        {objectable && rows.data && (
          <>
            {' '}
            <Link
              to={`/workbench/objections?resource=${encodeURIComponent(code)}`}
              data-testid="objection-from-resource"
            >
              {t('obj.fromResource')}
            </Link>
          </>
        )}
      </Typography.Paragraph>
      <Table<Record<string, unknown>>
        size="small"
        loading={rows.isPending}
        rowKey="__row"
        dataSource={(rows.data?.rows ?? []).map((row, i) => ({ ...row, __row: i }))}
        pagination={false}
        scroll={{ x: Math.max(600, columns.length * 140) }}
        columns={[
          // 异议中: rows under an objection not yet confirmed (the page's `disputed`).
          ...(disputed.size > 0
            ? [
                {
                  title: t('obj.disputed'),
                  key: '__disputed',
                  width: 90,
                  render: (_: unknown, row: Record<string, unknown>) =>
                    disputed.has(row.__row as number) ? <Tag color="orange">{t('obj.disputed')}</Tag> : null,
                },
              ]
            : []),
          ...columns.map((c) => ({
            // The item's name (信息项名称) over its field name, which API calls and filters use.
            title: (
              <span>
                {c.label ?? c.name}
                {c.label && c.label !== c.name && (
                  <>
                    <br />
                    <small style={{ color: '#595959', fontWeight: 'normal' }}>{c.name}</small>
                  </>
                )}
              </span>
            ),
            key: c.name,
            dataIndex: c.name,
            width: 160,
            render: (v: unknown) => <LongValue text={cellText(v)} />,
          })),
        ]}
      />
    </>
  );
}
