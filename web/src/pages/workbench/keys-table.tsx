import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Popconfirm, Table, Tag } from 'antd';
import { type ApiKeyView, fetchAll, identityApi } from '../../api/identity.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { formatDate, formatTime } from '../../components/format.js';
import { useI18n } from '../../i18n/index.js';

const STATUS_COLOR = { active: 'green', expired: 'default', revoked: 'red' } as const;

/** An application's keys (prefixes only), with revocation. */
export function KeysTable({ applicationId }: { applicationId: string }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const keys = useQuery({
    queryKey: ['keys', applicationId],
    queryFn: () => fetchAll((cursor) => identityApi.keys(applicationId, { limit: 200, cursor })),
  });
  const revoke = async (key: ApiKeyView) => {
    try {
      await identityApi.revokeKey(applicationId, key.id);
      message.success(t('keys.revoked'));
      client.invalidateQueries({ queryKey: ['keys', applicationId] });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  if (keys.error) return <ErrorAlert error={keys.error} onRetry={() => keys.refetch()} />;
  return (
    <Table<ApiKeyView>
      rowKey="id"
      size="small"
      loading={keys.isPending}
      dataSource={keys.data ?? []}
      pagination={false}
      locale={{ emptyText: t('keys.none') }}
      data-testid="keys-table"
      columns={[
        { title: t('keys.name'), dataIndex: 'name' },
        { title: t('keys.prefix'), dataIndex: 'prefix', render: (p: string) => <code>{p}…</code> },
        {
          title: t('keys.roles'),
          dataIndex: 'roles',
          render: (roles: ApiKeyView['roles']) => roles.map((r) => <Tag key={r}>{t(`role.${r}`)}</Tag>),
        },
        {
          title: t('keys.expires'),
          dataIndex: 'expiresAt',
          render: (d: string | null) => formatDate(d, lang) ?? '—',
        },
        {
          title: t('keys.lastUsed'),
          dataIndex: 'lastUsedAt',
          render: (d: string | null) => formatTime(d, lang) ?? t('common.never'),
        },
        {
          title: t('common.status'),
          dataIndex: 'status',
          render: (s: ApiKeyView['status']) => <Tag color={STATUS_COLOR[s]}>{t(`keys.status.${s}`)}</Tag>,
        },
        {
          title: t('common.actions'),
          key: 'actions',
          render: (_, key) =>
            key.status === 'active' && (
              <Popconfirm
                title={t('keys.revokeConfirm')}
                onConfirm={() => revoke(key)}
                okText={t('keys.revoke')}
                okButtonProps={{ danger: true }}
                cancelText={t('action.cancel')}
              >
                <Button type="link" size="small" danger aria-label={`${t('keys.revoke')} ${key.name}`}>
                  {t('keys.revoke')}
                </Button>
              </Popconfirm>
            ),
        },
      ]}
    />
  );
}
