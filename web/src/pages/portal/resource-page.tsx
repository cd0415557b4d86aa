import { useQuery } from '@tanstack/react-query';
import { Breadcrumb, Card, Result, Space, Tabs, Tag, Timeline } from 'antd';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { catalogApi } from '../../api/catalog.js';
import { qualityApi } from '../../api/quality.js';
import { PageSpinner } from '../../auth/guards.js';
import { useSession } from '../../auth/session.js';
import { GradeTag, OpenTag, SharingTag } from '../../components/catalog/vocab.js';
import { formatTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { ApplyAction } from '../workbench/apply-action.js';
import { ItemsTable } from './items-table.js';
import { RemoteResource } from './remote-resource.js';
import { ResourceAccess } from './resource-access.js';
import { ResourceMetadata } from './resource-metadata.js';
import { ResourceSubscribers, refused, useSubscribers } from './resource-subscribers.js';
import { RowsPreview } from './rows-preview.js';

/**
 * A resource's page. `?node=` names the federation node of an entry another node reported
 * (a search links so): its catalog entry, read from the search, and how to read its rows.
 */
export default function ResourcePage() {
  const { code = '' } = useParams();
  const [params] = useSearchParams();
  const node = params.get('node');
  return node ? <RemoteResource nodeId={node} code={code} /> : <LocalResource code={code} />;
}

/** This node's resource: metadata, items, preview of the first rows, downloads, API, versions. */
function LocalResource({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const { me, hasRole } = useSession();
  const resource = useQuery({ queryKey: ['resource', code], queryFn: () => catalogApi.resource(code) });
  const score = useQuery({
    queryKey: ['quality-score', code],
    queryFn: () => qualityApi.score(code),
    // Scores are for members signed in; a visitor of the open-data portal is not asked (a 401).
    enabled: resource.isSuccess && Boolean(me),
  });
  const versions = useQuery({
    queryKey: ['versions', code],
    queryFn: () => catalogApi.versions(code),
    enabled: resource.isSuccess,
  });
  // 订阅方: the provider's administrators and stewards; the API refuses anyone else (then no tab).
  const provider =
    !!me &&
    resource.data !== undefined &&
    me.organization.id === resource.data.provider.id &&
    hasRole('org_admin', 'data_steward');
  const subscribers = useSubscribers(code, provider);
  if (resource.isPending) return <PageSpinner />;
  if (resource.error || !resource.data)
    return (
      <Result status="404" title={t('res.notFound')} extra={<Link to="/portal">{t('action.back')}</Link>} />
    );
  const r = resource.data;

  return (
    <div className="ht-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/portal">{t('menu.portal.search')}</Link> }, { title: r.name }]}
      />
      <PageHeader
        title={r.name}
        subtitle={
          <Space wrap size={4}>
            <SharingTag t={t} value={r.sharingType} />
            <OpenTag t={t} value={r.openType} />
            <GradeTag t={t} value={r.grade} />
            {score.data?.score != null && (
              <Tag color="green" data-testid="quality-score-tag">
                {t('q.score')} {score.data.score}
              </Tag>
            )}
            <span>{r.provider.name}</span>
          </Space>
        }
        extra={
          me && r.sharingType === 'conditional' ? <ApplyAction resource={r} label={t('res.apply')} /> : null
        }
      />
      <Card>
        <Tabs
          items={[
            { key: 'meta', label: t('res.metadata'), children: <ResourceMetadata resource={r} /> },
            {
              key: 'items',
              label: `${t('res.items')} (${r.items.length})`,
              children: <ItemsTable items={r.items} />,
            },
            {
              key: 'preview',
              label: t('res.preview'),
              children: (
                <RowsPreview
                  code={r.code}
                  objectable={
                    !!me &&
                    me.organization.id !== r.provider.id &&
                    (hasRole('analyst') || hasRole('data_steward'))
                  }
                />
              ),
            },
            { key: 'access', label: `${t('res.download')} · API`, children: <ResourceAccess resource={r} /> },
            ...(provider && !refused(subscribers.error)
              ? [
                  {
                    key: 'subscribers',
                    label: subscribers.data
                      ? `${t('sub.subscribers')} (${subscribers.data.items.length})`
                      : t('sub.subscribers'),
                    children: <ResourceSubscribers query={subscribers} />,
                  },
                ]
              : []),
            {
              key: 'versions',
              label: t('res.versions'),
              children: (
                <Timeline
                  items={(versions.data?.items ?? []).map((v) => ({
                    content: `${t('res.version')} ${v.version} · ${formatTime(v.publishedAt, lang)}`,
                  }))}
                />
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
