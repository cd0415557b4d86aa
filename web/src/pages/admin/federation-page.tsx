import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { ApiError } from '../../api/client.js';
import { type FederationNodeView, federationApi, type NodeStatusView } from '../../api/federation.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { type MessageKey, useI18n } from '../../i18n/index.js';
import { FederationCatalogSync } from './federation-catalog-sync.js';
import { FederationMembers } from './federation-members.js';
import { NodeStatusTag } from './federation-status-tag.js';

const DAY = 86_400_000;

/** How far the held configuration is from expiring: nodes refuse cross-node traffic once it has. */
function ExpiryTag({ expiresAt }: { expiresAt: string }) {
  const { t } = useI18n();
  const left = new Date(expiresAt).getTime() - Date.now();
  if (left <= 0)
    return (
      <Tag color="error" data-testid="fed-config-expiry">
        {t('fed.config.expired')}
      </Tag>
    );
  if (left < DAY)
    return (
      <Tag color="warning" data-testid="fed-config-expiry">
        {t('fed.config.expiring')}
      </Tag>
    );
  return (
    <Tag color="success" data-testid="fed-config-expiry">
      {t('fed.config.valid')}
    </Tag>
  );
}

function NodeCard({ node }: { node: NodeStatusView }) {
  const { t, lang } = useI18n();
  const config = node.config;
  return (
    <Card title={t('fed.self')} size="small" data-testid="fed-self">
      <Descriptions size="small" column={{ xs: 1, md: 2 }} bordered>
        <Descriptions.Item label={t('fed.federation')}>{node.federation}</Descriptions.Item>
        <Descriptions.Item label={t('fed.role')}>
          <Tag color={node.role === 'root' ? 'gold' : 'blue'}>{t(`fed.role.${node.role}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('fed.nodeId')}>
          <code>{node.nodeId}</code>
        </Descriptions.Item>
        <Descriptions.Item label={t('fed.name')}>{node.name}</Descriptions.Item>
        <Descriptions.Item label={t('fed.region')}>{node.regionCode}</Descriptions.Item>
        <Descriptions.Item label={t('fed.level')}>
          {t(`fed.level.${node.level}` as MessageKey)}
        </Descriptions.Item>
        <Descriptions.Item label={t('fed.url')} span={2}>
          <code>{node.url}</code>
        </Descriptions.Item>
        <Descriptions.Item label={t('fed.publicKey')} span={2}>
          <Typography.Text code copyable={{ text: node.publicKey }} style={{ wordBreak: 'break-all' }}>
            {node.publicKey}
          </Typography.Text>
        </Descriptions.Item>
        {config && (
          <>
            <Descriptions.Item label={t('fed.config.version')}>
              <span data-testid="fed-config-version">{config.version}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('fed.config.expiresAt')}>
              <Space size={4}>
                {formatTime(config.expiresAt, lang)}
                <ExpiryTag expiresAt={config.expiresAt} />
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('fed.config.issuedAt')}>
              {formatTime(config.issuedAt, lang)}
            </Descriptions.Item>
            <Descriptions.Item label={t('fed.config.fetchedAt')}>
              {formatTime(config.fetchedAt, lang)}
            </Descriptions.Item>
          </>
        )}
      </Descriptions>
      {config?.lastError && (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          title={t('fed.config.lastError')}
          description={<code>{config.lastError}</code>}
          data-testid="fed-config-error"
        />
      )}
    </Card>
  );
}

function NodesTable({ nodes }: { nodes: FederationNodeView[] }) {
  const { t } = useI18n();
  const names = new Map(nodes.map((n) => [n.nodeId, n.name]));
  return (
    <Card title={t('fed.nodes')} size="small">
      <Table<FederationNodeView>
        rowKey="nodeId"
        size="small"
        data-testid="fed-nodes"
        dataSource={nodes}
        pagination={{ hideOnSinglePage: true, pageSize: 50 }}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('fed.name'), dataIndex: 'name' },
          { title: t('fed.nodeId'), dataIndex: 'nodeId', render: (id: string) => <code>{id}</code> },
          { title: t('fed.region'), dataIndex: 'regionCode' },
          {
            title: t('fed.level'),
            dataIndex: 'level',
            render: (level: string) => t(`fed.level.${level}` as MessageKey),
          },
          {
            title: t('fed.parent'),
            dataIndex: 'parentNodeId',
            render: (p: string | null) => (p ? (names.get(p) ?? p) : '—'),
          },
          {
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string) => <NodeStatusTag status={s} />,
          },
          { title: t('fed.url'), dataIndex: 'url', render: (u: string) => <code>{u}</code> },
        ]}
      />
    </Card>
  );
}

/** The CLI steps that make a node a root or a member, for a node not in a federation yet. */
function NotJoined() {
  const { t } = useI18n();
  return (
    <Card size="small" data-testid="fed-not-joined">
      <Alert type="info" showIcon title={t('fed.notJoined')} description={t('fed.notJoined.hint')} />
      <Typography.Paragraph style={{ marginTop: 12, marginBottom: 4 }}>
        {t('fed.notJoined.root')}
      </Typography.Paragraph>
      <Typography.Paragraph code copyable>
        huitong federation init --federation 全国一体化政务数据共享 --node-id cn-100000 --region 100000 --name
        国家节点 --level national --url https://national.example.gov.cn
      </Typography.Paragraph>
      <Typography.Paragraph style={{ marginBottom: 4 }}>{t('fed.notJoined.member')}</Typography.Paragraph>
      <Typography.Paragraph code copyable>
        huitong federation join https://national.example.gov.cn --token T --node-id zj-330000 --region 330000
        --name 浙江省节点 --level provincial --url https://zj.example.gov.cn --parent cn-100000
      </Typography.Paragraph>
    </Card>
  );
}

/**
 * 联邦节点 (docs/federation.md), for platform administrators and auditors: this node's identity,
 * the signed configuration it holds (version, expiry, last fetch and its error), every node of
 * the federation with its status, the catalog synchronisation (目录同步: sync lag per child, this
 * node's own reporting); on the root, the join requests and member operations.
 */
export default function FederationPage() {
  const { t } = useI18n();
  const node = useQuery({
    queryKey: ['federation-node'],
    queryFn: () => federationApi.node(),
    refetchInterval: 30_000,
    retry: (count, error) =>
      !(error instanceof ApiError && error.code === 'federation_not_joined') && count < 2,
  });
  const notJoined = node.error instanceof ApiError && node.error.code === 'federation_not_joined';
  return (
    <div className="ht-page">
      <PageHeader title={t('fed.title')} subtitle={t('fed.subtitle')} />
      {node.error && !notJoined && <ErrorAlert error={node.error} onRetry={() => node.refetch()} />}
      {notJoined && <NotJoined />}
      {node.data && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <NodeCard node={node.data} />
          {node.data.config && <NodesTable nodes={node.data.config.nodes} />}
          {node.data.config && <FederationCatalogSync nodes={node.data.config.nodes} />}
          {node.data.role === 'root' && <FederationMembers selfNodeId={node.data.nodeId} />}
        </Space>
      )}
    </div>
  );
}
