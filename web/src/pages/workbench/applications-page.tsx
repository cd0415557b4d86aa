import { KeyOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Space, Table } from 'antd';
import { useState } from 'react';
import { type ApplicationView, fetchAll, identityApi } from '../../api/identity.js';
import { useSession } from '../../auth/session.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatDate } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { ApplicationForm } from './application-form.js';
import { KeyCreateModal } from './key-create-modal.js';
import { KeyOnceModal } from './key-once-modal.js';
import { KeysTable } from './keys-table.js';

/** Applications of the caller's organisation; each row expands to its keys. */
export default function ApplicationsPage() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<ApplicationView | null>(null);
  const [keyFor, setKeyFor] = useState<string | null>(null);
  const [shownKey, setShownKey] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  const apps = useQuery({
    queryKey: ['applications'],
    queryFn: () => fetchAll((cursor) => identityApi.applications({ limit: 200, cursor })),
  });

  return (
    <div className="ht-page">
      <PageHeader
        title={t('apps.title')}
        subtitle={t('apps.subtitle')}
        extra={
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setFormOpen(true);
            }}
            data-testid="app-create"
          >
            {t('apps.create')}
          </Button>
        }
      />
      {apps.error && <ErrorAlert error={apps.error} onRetry={() => apps.refetch()} />}
      <Table<ApplicationView>
        rowKey="id"
        loading={apps.isPending}
        dataSource={apps.data ?? []}
        pagination={false}
        locale={{ emptyText: t('apps.none') }}
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setExpanded(keys as string[]),
          expandedRowRender: (app) => <KeysTable applicationId={app.id} />,
        }}
        columns={[
          { title: t('apps.name'), dataIndex: 'name' },
          { title: t('apps.description'), dataIndex: 'description', render: (d: string) => d || '—' },
          {
            title: t('common.createdAt'),
            dataIndex: 'createdAt',
            width: 120,
            render: (d: string) => formatDate(d, lang),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 220,
            render: (_, app) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  icon={<KeyOutlined />}
                  onClick={() => setKeyFor(app.id)}
                  aria-label={`${t('keys.create')} ${app.name}`}
                >
                  {t('keys.create')}
                </Button>
                <Button
                  type="link"
                  size="small"
                  onClick={() => {
                    setEditing(app);
                    setFormOpen(true);
                  }}
                  aria-label={`${t('action.edit')} ${app.name}`}
                >
                  {t('action.edit')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <ApplicationForm
        open={formOpen}
        editing={editing}
        onClose={() => setFormOpen(false)}
        onSaved={(app) => {
          message.success(editing ? t('common.saved') : t('apps.created'));
          setFormOpen(false);
          client.invalidateQueries({ queryKey: ['applications'] });
          setExpanded((e) => [...new Set([...e, app.id])]);
        }}
      />
      <KeyCreateModal
        applicationId={keyFor}
        ownRoles={me?.roles ?? []}
        onClose={() => setKeyFor(null)}
        onCreated={(key) => {
          const appId = keyFor!;
          setKeyFor(null);
          setShownKey(key);
          setExpanded((e) => [...new Set([...e, appId])]);
          client.invalidateQueries({ queryKey: ['keys', appId] });
        }}
      />
      <KeyOnceModal apiKey={shownKey} onClose={() => setShownKey(null)} />
    </div>
  );
}
