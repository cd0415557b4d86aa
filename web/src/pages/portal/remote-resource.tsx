import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Card, Result, Space, Tabs } from 'antd';
import { Link, Navigate } from 'react-router-dom';
import { catalogApi } from '../../api/catalog.js';
import { PageSpinner } from '../../auth/guards.js';
import { useSession } from '../../auth/session.js';
import { GradeTag, OpenTag, SharingTag } from '../../components/catalog/vocab.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';
import { ApplyAction } from '../workbench/apply-action.js';
import { ItemsTable } from './items-table.js';
import { ResourceMetadata } from './resource-metadata.js';
import { NodeTag } from './result-item.js';

/**
 * An entry another node of the federation reported (目录上报): its catalog fields and items, as
 * this node holds them. Its rows stay at the providing node: an application reads them through
 * this node's cross-node read API (docs/federation.md), so there is no preview or download. An
 * analyst applies for a 有条件共享 one from this node (跨节点共享申请): the local form, sent to
 * the providing node, whose steward decides.
 */
export function RemoteResource({ nodeId, code }: { nodeId: string; code: string }) {
  const { t } = useI18n();
  const { me } = useSession();
  const entry = useQuery({
    queryKey: ['node-entry', nodeId, code],
    queryFn: () => catalogApi.nodeEntry(nodeId, code),
  });
  if (entry.isPending) return <PageSpinner />;
  const r = entry.data;
  if (entry.error || !r || !r.node)
    return (
      <Result status="404" title={t('res.notFound')} extra={<Link to="/portal">{t('action.back')}</Link>} />
    );
  // A link naming this node itself: the resource's own page has it all.
  if (r.node.local) return <Navigate to={`/portal/resources/${encodeURIComponent(code)}`} replace />;
  const rowsPath = `/api/v1/federation/nodes/${r.node.nodeId}/resources/${r.code}/rows`;
  return (
    <div className="ht-page" data-testid="remote-resource">
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
            <span>{r.provider.name}</span>
            <NodeTag node={r.node} />
          </Space>
        }
        extra={
          me && r.sharingType === 'conditional' ? (
            <ApplyAction resource={r} node={r.node} label={t('fedreq.apply')} />
          ) : null
        }
      />
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="remote-resource-note"
        title={t('res.remote.title', { node: r.node.name })}
        description={
          <>
            <p style={{ margin: 0 }}>{t('res.remote.hint')}</p>
            <code>GET {rowsPath}</code>
          </>
        }
      />
      <Card>
        <Tabs
          items={[
            {
              key: 'meta',
              label: t('res.metadata'),
              children: <ResourceMetadata resource={r} remote />,
            },
            {
              key: 'items',
              label: `${t('res.items')} (${r.items.length})`,
              children: <ItemsTable items={r.items} />,
            },
          ]}
        />
      </Card>
    </div>
  );
}
