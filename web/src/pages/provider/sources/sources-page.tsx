import { CloudUploadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { fetchAll } from '../../../api/identity.js';
import { type SourceView, sourcesApi } from '../../../api/sources.js';
import { ErrorAlert, errorMessage } from '../../../components/error-result.js';
import { formatTime } from '../../../components/format.js';
import { PageHeader } from '../../../components/page-header.js';
import { useI18n } from '../../../i18n/index.js';
import { SchemaDrawer } from './schema-drawer.js';
import { SourceForm } from './source-form.js';
import { UploadModal } from './upload-modal.js';

/** 数据源: register and test the organisation's databases, APIs and files; browse their tables. */
export default function SourcesPage() {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<'register' | 'upload' | null>(null);
  const [browsing, setBrowsing] = useState<SourceView | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const sources = useQuery({
    queryKey: ['sources'],
    queryFn: () => fetchAll((cursor) => sourcesApi.list({ limit: 200, cursor })),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['sources'] });
  const test = async (s: SourceView) => {
    setTesting(s.id);
    try {
      const r = await sourcesApi.test(s.id);
      message.success(t('src.testOk', { ms: Math.round(r.latencyMs), version: r.serverVersion ?? '—' }));
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setTesting(null);
    }
  };
  const remove = async (s: SourceView) => {
    try {
      await sourcesApi.remove(s.id);
      refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <div className="ht-page">
      <PageHeader
        title={t('pv.sources.title')}
        subtitle={t('src.subtitle')}
        extra={
          <Space wrap>
            <Button
              icon={<CloudUploadOutlined />}
              onClick={() => setDialog('upload')}
              data-testid="source-upload"
            >
              {t('src.upload')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('register')}>
              {t('src.register')}
            </Button>
          </Space>
        }
      />
      {sources.error && <ErrorAlert error={sources.error} onRetry={() => sources.refetch()} />}
      <Table<SourceView>
        rowKey="id"
        loading={sources.isPending}
        dataSource={sources.data ?? []}
        locale={{ emptyText: t('src.none') }}
        scroll={{ x: 800 }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('src.kind'), key: 'kind', render: (_, s) => <Tag>{t(`src.kind.${s.kind}`)}</Tag> },
          {
            title: t('src.where'),
            key: 'where',
            render: (_, s) => {
              const c = s.connection as Record<string, unknown>;
              return (
                <code>
                  {String(c.url ?? (c.host ? `${c.host}:${c.port}/${c.database}` : (c.format ?? '')))}
                </code>
              );
            },
          },
          { title: t('common.createdAt'), key: 'created', render: (_, s) => formatTime(s.createdAt, lang) },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, s) => (
              <Space wrap size={4}>
                <Button size="small" loading={testing === s.id} onClick={() => test(s)}>
                  {t('src.test')}
                </Button>
                <Button size="small" onClick={() => setBrowsing(s)}>
                  {t('src.browse')}
                </Button>
                <Popconfirm title={t('src.deleteConfirm')} onConfirm={() => remove(s)}>
                  <Button size="small" danger>
                    {t('src.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {dialog === 'register' && (
        <SourceForm
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            refresh();
          }}
        />
      )}
      {dialog === 'upload' && <UploadModal onClose={() => setDialog(null)} onDone={refresh} />}
      {browsing && <SchemaDrawer source={browsing} onClose={() => setBrowsing(null)} />}
    </div>
  );
}
