import { useQuery } from '@tanstack/react-query';
import { fetchAll } from '../../api/identity.js';
import { sharingApi } from '../../api/sharing.js';
import { ErrorAlert } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { useUsage } from '../../components/sharing/use-usage.js';
import { useI18n } from '../../i18n/index.js';
import { GrantsTable } from './grants-table.js';

/** 我的授权: the grants the organisation holds, with limits, expiry and today's use against quota. */
export default function GrantsPage() {
  const { t } = useI18n();
  const grants = useQuery({
    queryKey: ['grants', 'consumer'],
    queryFn: () => fetchAll((cursor) => sharingApi.grants({ side: 'consumer', limit: 200, cursor })),
  });
  const { todayByGrant } = useUsage('consumer');
  return (
    <div className="ht-page">
      <PageHeader title={t('wb.grants.title')} subtitle={t('grants.subtitle')} />
      {grants.error && <ErrorAlert error={grants.error} onRetry={() => grants.refetch()} />}
      <GrantsTable grants={grants.data ?? []} loading={grants.isPending} today={todayByGrant} />
    </div>
  );
}
