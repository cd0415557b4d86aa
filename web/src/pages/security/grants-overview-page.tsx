import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Popconfirm, Space } from 'antd';
import { fetchAll } from '../../api/identity.js';
import { type GrantView, sharingApi } from '../../api/sharing.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { useUsage } from '../../components/sharing/use-usage.js';
import { useI18n } from '../../i18n/index.js';
import { GrantsTable } from '../workbench/grants-table.js';

/** 授权总览: every grant the organisation gave, with suspension, resumption and revocation. */
export default function GrantsOverviewPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const grants = useQuery({
    queryKey: ['grants', 'provider'],
    queryFn: () => fetchAll((cursor) => sharingApi.grants({ side: 'provider', limit: 200, cursor })),
  });
  const { todayByGrant } = useUsage('provider');
  const change = async (g: GrantView, action: 'suspend' | 'resume' | 'revoke') => {
    try {
      await sharingApi.changeGrant(g.id, action);
      message.success(t('sec.changed'));
      await client.invalidateQueries({ queryKey: ['grants'] });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <div className="ht-page">
      <PageHeader title={t('sec.grants.title')} subtitle={t('sec.subtitle')} />
      {grants.error && <ErrorAlert error={grants.error} onRetry={() => grants.refetch()} />}
      <GrantsTable
        grants={grants.data ?? []}
        loading={grants.isPending}
        today={todayByGrant}
        side="provider"
        extraColumns={[
          {
            title: t('common.actions'),
            key: 'actions',
            fixed: 'right',
            render: (_, g) => (
              <Space size={4}>
                {g.status === 'active' && (
                  <Button size="small" onClick={() => change(g, 'suspend')}>
                    {t('sec.suspend')}
                  </Button>
                )}
                {g.status === 'suspended' && (
                  <Button size="small" onClick={() => change(g, 'resume')}>
                    {t('sec.resume')}
                  </Button>
                )}
                {(g.status === 'active' || g.status === 'suspended') && (
                  <Popconfirm title={t('sec.revokeConfirm')} onConfirm={() => change(g, 'revoke')}>
                    <Button size="small" danger>
                      {t('sec.revoke')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </div>
  );
}
