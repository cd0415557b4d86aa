import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Progress, Radio, Space, Table, Upload } from 'antd';
import { useState } from 'react';
import type { ImportReport } from '../../api/catalog.js';
import { ApiError } from '../../api/client.js';
import { uploadWithProgress } from '../../api/sources.js';
import { ErrorAlert } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
type Rejected = ImportReport['rejected'][number];

/** 批量导入: a catalog sheet (XLSX or CSV) uploaded with a progress bar, then the row-by-row report. */
export default function ImportPage() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<ImportReport['mode']>('valid-only');
  const [publish, setPublish] = useState(false);
  const [percent, setPercent] = useState<number | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const start = async () => {
    if (!file) return;
    setError(null);
    setReport(null);
    setPercent(0);
    const type = file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : XLSX;
    try {
      setReport(
        await uploadWithProgress<ImportReport>(
          `/api/v1/catalog/import?mode=${mode}&publish=${publish}`,
          file,
          type,
          setPercent,
        ),
      );
    } catch (e) {
      // all-or-nothing: the refusal carries the report of the rows that failed.
      if (e instanceof ApiError && e.code === 'import_rejected') setReport(e.details as ImportReport);
      else setError(e);
    }
  };

  return (
    <div className="ht-page">
      <PageHeader title={t('pv.import.title')} subtitle={t('imp.subtitle')} />
      <Card>
        <Upload.Dragger
          accept=".xlsx,.csv"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            return false;
          }}
          onRemove={() => setFile(null)}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined aria-hidden />
          </p>
          <p>{t('imp.hint')}</p>
        </Upload.Dragger>
        <Space wrap style={{ marginTop: 16 }}>
          <Radio.Group
            value={mode}
            onChange={(e) => setMode(e.target.value)}
            aria-label={t('imp.mode')}
            options={[
              { value: 'valid-only', label: t('imp.validOnly') },
              { value: 'all-or-nothing', label: t('imp.allOrNothing') },
            ]}
          />
          <Checkbox checked={publish} onChange={(e) => setPublish(e.target.checked)}>
            {t('imp.publish')}
          </Checkbox>
          <Button
            type="primary"
            disabled={!file || (percent !== null && percent < 100 && !report && !error)}
            onClick={start}
          >
            {t('imp.start')}
          </Button>
        </Space>
        {percent !== null && (
          <Progress
            style={{ marginTop: 16 }}
            percent={percent}
            status={error ? 'exception' : report ? 'success' : 'active'}
            aria-label={t('src.progress')}
            format={(p) => (p === 100 && !report && !error ? t('src.processing') : `${p}%`)}
          />
        )}
      </Card>
      {error !== null && <ErrorAlert error={error} />}
      {report && (
        <Card style={{ marginTop: 16 }} title={t('imp.report')}>
          <Alert
            showIcon
            type={report.rejected.length === 0 ? 'success' : report.committed ? 'warning' : 'error'}
            title={t(report.committed ? 'imp.summary' : 'imp.nothing', {
              total: report.total,
              ok: report.imported.length,
              bad: report.rejected.length,
            })}
            style={{ marginBottom: 12 }}
          />
          <Table<Rejected>
            size="small"
            rowKey={(r) => `${r.sheet}-${r.row}-${r.field ?? ''}-${r.code}`}
            dataSource={report.rejected}
            locale={{ emptyText: t('imp.noErrors') }}
            columns={[
              { title: t('imp.sheet'), dataIndex: 'sheet' },
              { title: t('imp.row'), dataIndex: 'row' },
              { title: t('imp.field'), dataIndex: 'field' },
              { title: t('imp.code'), dataIndex: 'code' },
              { title: t('imp.message'), dataIndex: 'message' },
            ]}
          />
        </Card>
      )}
    </div>
  );
}
