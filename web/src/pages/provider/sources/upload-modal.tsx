import { InboxOutlined } from '@ant-design/icons';
import { App as AntApp, Form, Input, Modal, Progress, Table, Upload } from 'antd';
import { useState } from 'react';
import { fileFormat, type ImportedFileView, uploadSourceFile } from '../../../api/sources.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { dataTypeName } from '../../../components/type-names.js';
import { useI18n } from '../../../i18n/index.js';

const TEST_ID = { 'data-testid': 'upload-start' } as Record<string, string>;

/** Uploads a CSV/XLSX/Parquet/JSON file as a file source, with the upload's progress, then shows the inferred columns. */
export function UploadModal({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [imported, setImported] = useState<ImportedFileView | null>(null);
  const start = async () => {
    if (!file) return;
    setError(null);
    setPercent(0);
    try {
      const result = await uploadSourceFile(file, name.trim() || file.name, setPercent);
      setImported(result);
      message.success(t('src.uploaded', { n: result.rowCount }));
      onDone();
    } catch (e) {
      setError(e);
      setPercent(null);
    }
  };

  return (
    <Modal
      open
      title={t('src.upload')}
      onCancel={onClose}
      okText={imported ? t('action.close') : t('src.uploadStart')}
      onOk={imported ? onClose : start}
      okButtonProps={{ disabled: !file || (percent !== null && !imported), ...TEST_ID }}
      width={640}
    >
      {!imported && (
        <>
          <Upload.Dragger
            accept=".csv,.xlsx,.parquet,.json,.ndjson"
            maxCount={1}
            beforeUpload={(f) => {
              if (!fileFormat(f.name)) {
                message.error(t('src.badFormat'));
                return Upload.LIST_IGNORE;
              }
              setFile(f);
              if (!name) setName(f.name.replace(/\.[^.]+$/, ''));
              return false;
            }}
            onRemove={() => setFile(null)}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined aria-hidden />
            </p>
            <p>{t('src.uploadHint')}</p>
          </Upload.Dragger>
          <Form layout="vertical" style={{ marginTop: 16 }}>
            <Form.Item label={t('common.name')} htmlFor="upload-name">
              <Input
                id="upload-name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                maxLength={200}
              />
            </Form.Item>
          </Form>
        </>
      )}
      {percent !== null && (
        <Progress
          percent={percent}
          status={imported ? 'success' : 'active'}
          aria-label={t('src.progress')}
          format={(p) => (p === 100 && !imported ? t('src.processing') : `${p}%`)}
        />
      )}
      {error !== null && <ErrorAlert error={error} />}
      {imported && (
        <Table
          size="small"
          rowKey="name"
          pagination={false}
          dataSource={imported.columns}
          title={() => t('src.inferred', { n: imported.rowCount })}
          columns={[
            { title: t('src.column'), dataIndex: 'name' },
            { title: t('src.type'), dataIndex: 'type', render: (v: string) => dataTypeName(t, v) },
            {
              title: t('src.nullable'),
              key: 'n',
              render: (_, c) => (c.nullable ? t('common.yes') : t('common.no')),
            },
          ]}
        />
      )}
    </Modal>
  );
}
