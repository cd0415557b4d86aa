import { DownloadOutlined, PlayCircleOutlined, SaveOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Col, Dropdown, Input, Row, Space, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { catalogApi, type SqlResult } from '../../../api/catalog.js';
import { downloadPost } from '../../../api/client.js';
import { CheckReportView } from '../../../components/check-report.js';
import { ErrorAlert, errorMessage } from '../../../components/error-result.js';
import { PageHeader } from '../../../components/page-header.js';
import { useI18n } from '../../../i18n/index.js';
import { MyReviews } from './my-reviews.js';
import { ResultChart } from './result-chart.js';
import { ResultsGrid } from './results-grid.js';
import { loadSaved, SavedQueries, type SavedQuery, storeSaved } from './saved-queries.js';
import { SqlEditor } from './sql-editor.js';
import { useSqlTables } from './sql-schema.js';
import { TablesPanel } from './tables-panel.js';

const ALIAS = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** SQL 工作台: one SELECT across the resources the caller may read, its rows, charts and exports. */
export default function SqlPage() {
  const { t } = useI18n();
  const { message, modal } = AntApp.useApp();
  const { tables, loading, error: tablesError } = useSqlTables();
  const [sql, setSql] = useState('');
  const [names, setNames] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<SavedQuery[]>(loadSaved);
  const aliasOf = (code: string) => names[code] ?? tables.find((x) => x.code === code)?.alias ?? code;
  const aliases = Object.fromEntries(
    tables.map((x) => [aliasOf(x.code), x.code]).filter(([a]) => a && ALIAS.test(a)),
  ) as Record<string, string>;
  useEffect(() => {
    if (!sql && tables[0]) setSql(`SELECT *\nFROM ${tables[0].alias}\nLIMIT 100`);
  }, [sql, tables]);

  // An approved sandbox answer read from 我的发布审核 replaces the grid's rows.
  const [approved, setApproved] = useState<SqlResult | null>(null);
  const client = useQueryClient();
  const run = useMutation({
    mutationFn: () => catalogApi.sql(sql, aliases, 5000),
    onMutate: () => setApproved(null),
    // A held answer appears in 我的发布审核 at once.
    onSuccess: (answer) => {
      if ('review' in answer) client.invalidateQueries({ queryKey: ['release-reviews'] });
    },
  });
  const exportAs = async (format: 'csv' | 'xlsx' | 'parquet') => {
    try {
      await downloadPost('/api/v1/query', { sql, aliases, format, bom: format === 'csv' }, `query.${format}`);
    } catch (error) {
      message.error(errorMessage(error));
    }
  };
  const save = () => {
    let name = '';
    modal.confirm({
      title: t('sql.saveTitle'),
      content: (
        <Input
          aria-label={t('sql.saveName')}
          placeholder={t('sql.saveName')}
          onChange={(e) => {
            name = e.target.value;
          }}
        />
      ),
      onOk: () => {
        const entry = {
          name: name.trim() || new Date().toLocaleString(),
          sql,
          aliases,
          savedAt: new Date().toISOString(),
        };
        const next = [entry, ...saved.filter((q) => q.name !== entry.name)];
        storeSaved(next);
        setSaved(next);
        message.success(t('common.saved'));
      },
    });
  };
  const open = (q: SavedQuery) => {
    setSql(q.sql);
    setNames(Object.fromEntries(Object.entries(q.aliases).map(([a, code]) => [code, a])));
  };
  const answer = run.data;
  // The sandbox mode (可用不可见) holds a failing answer for review: a report and no row.
  const held = answer && 'review' in answer ? answer : null;
  const result = approved ?? (answer && !('review' in answer) ? answer : null);

  return (
    <div className="ht-page">
      <PageHeader title={t('wb.sql.title')} subtitle={t('sql.subtitle')} />
      {tablesError ? <ErrorAlert error={tablesError} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={7}>
          <Card size="small" loading={loading}>
            <Tabs
              size="small"
              items={[
                {
                  key: 'tables',
                  label: t('sql.tables'),
                  children: (
                    <TablesPanel
                      tables={tables}
                      aliases={names}
                      onAlias={(code, alias) => setNames({ ...names, [code]: alias })}
                      onInsert={(text) => setSql(`${sql}${sql.endsWith(' ') || !sql ? '' : ' '}${text}`)}
                    />
                  ),
                },
                {
                  key: 'saved',
                  label: t('sql.saved'),
                  children: (
                    <SavedQueries
                      queries={saved}
                      onOpen={open}
                      onDelete={(name) => {
                        const next = saved.filter((q) => q.name !== name);
                        storeSaved(next);
                        setSaved(next);
                      }}
                    />
                  ),
                },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={17}>
          <Card size="small">
            <SqlEditor
              value={sql}
              onChange={setSql}
              tables={tables.map((x) => ({ ...x, alias: aliasOf(x.code) }))}
              onRun={() => run.mutate()}
            />
            <Space wrap style={{ marginTop: 12 }}>
              <Button
                type="primary"
                icon={<PlayCircleOutlined />}
                loading={run.isPending}
                disabled={!sql.trim()}
                onClick={() => run.mutate()}
                data-testid="sql-run"
              >
                {t('sql.run')}
              </Button>
              <Button icon={<SaveOutlined />} disabled={!sql.trim()} onClick={save}>
                {t('sql.save')}
              </Button>
              {/* Opened by click, not hover: a hover menu closes when the pointer crosses
                  the page, and keyboard and touch users cannot reach it. */}
              <Dropdown
                trigger={['click']}
                disabled={!sql.trim()}
                menu={{
                  items: (['csv', 'xlsx', 'parquet'] as const).map((f) => ({
                    key: f,
                    label: f.toUpperCase(),
                  })),
                  onClick: ({ key }) => exportAs(key as 'csv'),
                }}
              >
                <Button icon={<DownloadOutlined />} data-testid="sql-export">
                  {t('sql.export')}
                </Button>
              </Dropdown>
              <Typography.Text type="secondary">{t('sql.hint')}</Typography.Text>
            </Space>
          </Card>
          {run.error && <ErrorAlert error={run.error} action="query" />}
          {held && (
            <Card size="small" style={{ marginTop: 16 }}>
              <CheckReportView report={held.check} reviewId={held.review.id} />
            </Card>
          )}
          {result && (
            <Card size="small" style={{ marginTop: 16 }}>
              {result.check ? <CheckReportView report={result.check} /> : null}
              <Typography.Text role="status" data-testid="sql-count">
                {t(result.truncated ? 'sql.rowsTruncated' : 'sql.rows', { n: result.rows.length })}
              </Typography.Text>
              <Tabs
                items={[
                  { key: 'grid', label: t('sql.results'), children: <ResultsGrid result={result} /> },
                  {
                    key: 'chart',
                    label: t('sql.chart'),
                    children: <ResultChart key={result.columns.map((c) => c.name).join()} result={result} />,
                  },
                ]}
              />
            </Card>
          )}
          <Card size="small" title={t('rr.mine')} style={{ marginTop: 16 }}>
            <MyReviews
              onResult={(r) =>
                setApproved({ columns: r.columns, rows: r.rows, truncated: false, check: r.check })
              }
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
