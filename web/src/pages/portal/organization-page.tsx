import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Empty, Pagination } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { catalogApi } from '../../api/catalog.js';
import { identityApi } from '../../api/identity.js';
import { useSession } from '../../auth/session.js';
import { ErrorAlert } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { ResultItem } from './result-item.js';

const PAGE = 10;

/** An organisation's page: who it is, and the resources it publishes (a search by provider). */
export default function OrganizationPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { me } = useSession();
  const [page, setPage] = useState(1);
  // The directory is for members; visitors see what the catalog says about the provider.
  const org = useQuery({
    queryKey: ['organization', id],
    queryFn: () => identityApi.organization(id),
    enabled: Boolean(me),
  });
  const resources = useQuery({
    queryKey: ['org-resources', id, page],
    queryFn: () =>
      catalogApi.search({
        provider: id,
        sort: 'published',
        limit: PAGE,
        offset: (page - 1) * PAGE,
        facets: '',
      }),
  });
  const provider = resources.data?.items[0]?.provider;
  const name = org.data?.name ?? provider?.name ?? '';

  return (
    <div className="ht-page">
      <PageHeader title={name || t('orgPage.info')} />
      {org.data && (
        <Card title={t('orgPage.info')} style={{ marginBottom: 16 }}>
          <Descriptions column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('org.kind')}>{t(`kind.${org.data.kind}`)}</Descriptions.Item>
            <Descriptions.Item label={t('org.level')}>{t(`level.${org.data.level}`)}</Descriptions.Item>
            <Descriptions.Item
              label={t('org.region')}
            >{`${org.data.regionName ?? ''} (${org.data.regionCode})`}</Descriptions.Item>
            {org.data.creditCode && (
              <Descriptions.Item label={t('org.creditCode')}>{org.data.creditCode}</Descriptions.Item>
            )}
          </Descriptions>
        </Card>
      )}
      {resources.error && <ErrorAlert error={resources.error} onRetry={() => resources.refetch()} />}
      <Card title={`${t('orgPage.resources')} (${resources.data?.count ?? 0})`} loading={resources.isPending}>
        {resources.data?.items.length === 0 && <Empty description={t('portal.noResults')} />}
        {resources.data?.items.map((r) => (
          <ResultItem key={r.id} resource={r} />
        ))}
        {(resources.data?.count ?? 0) > PAGE && (
          <Pagination
            style={{ marginTop: 16 }}
            current={page}
            pageSize={PAGE}
            total={resources.data?.count}
            onChange={setPage}
            showSizeChanger={false}
          />
        )}
      </Card>
    </div>
  );
}
