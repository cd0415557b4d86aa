import { InboxOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Space, Spin, Typography, Upload } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api/client.js';
import { tracingApi } from '../../api/tracing.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { TraceReportView } from './trace-report.js';

const ACCEPTED = /\.(csv|txt|xlsx|json|ndjson|jsonl)$/i;

/** 溯源追踪: the security officer uploads a leaked file and sees the ranked suspects (docs/tracing.md). */
export default function TracePage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [fileName, setFileName] = useState('');
  const trace = useMutation({ mutationFn: (file: File) => tracingApi.trace(file) });
  const [exporting, setExporting] = useState<'html' | 'pdf' | null>(null);
  const exportEvidence = async (format: 'html' | 'pdf') => {
    if (!trace.variables) return;
    setExporting(format);
    try {
      await tracingApi.evidence(trace.variables, format);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setExporting(null);
    }
  };
  const refusal =
    trace.error instanceof ApiError && ['empty_file', 'trace_no_match'].includes(trace.error.code)
      ? (trace.error.code as 'empty_file' | 'trace_no_match')
      : null;
  return (
    <div className="ht-page">
      <PageHeader title={t('trace.title')} subtitle={t('trace.subtitle')} />
      <Upload.Dragger
        accept=".csv,.txt,.xlsx,.json,.ndjson,.jsonl"
        aria-label={t('trace.upload')}
        maxCount={1}
        showUploadList={false}
        disabled={trace.isPending}
        // Never uploaded by antd to a URL of its own: the file goes to the trace API, read here.
        beforeUpload={(file) => {
          if (!ACCEPTED.test(file.name)) {
            message.error(t('trace.badFormat'));
            return Upload.LIST_IGNORE;
          }
          setFileName(file.name);
          trace.mutate(file);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined aria-hidden />
        </p>
        <p>{t('trace.uploadHint')}</p>
        <Typography.Text type="secondary">{t('trace.uploadNote')}</Typography.Text>
      </Upload.Dragger>
      <div style={{ marginTop: 16 }}>
        {trace.isPending && (
          <Space>
            <Spin aria-hidden />
            <Typography.Text>{t('trace.running')}</Typography.Text>
          </Space>
        )}
        {refusal && (
          <Alert
            type="error"
            showIcon
            role="alert"
            data-testid="trace-refusal"
            title={t('trace.failed')}
            description={t(`trace.${refusal}`)}
          />
        )}
        {trace.error && !refusal && <ErrorAlert error={trace.error} action="submit" />}
        {trace.data && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Space wrap>
              <Button loading={exporting === 'html'} onClick={() => exportEvidence('html')}>
                {t('trace.evidence.html')}
              </Button>
              <Button loading={exporting === 'pdf'} onClick={() => exportEvidence('pdf')}>
                {t('trace.evidence.pdf')}
              </Button>
              <Typography.Text type="secondary">{t('trace.evidence.note')}</Typography.Text>
            </Space>
            <TraceReportView report={trace.data} fileName={fileName} />
          </Space>
        )}
      </div>
    </div>
  );
}
