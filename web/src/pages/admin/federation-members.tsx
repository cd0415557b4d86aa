import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, InputNumber, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import {
  federationApi,
  type JoinTokenView,
  type MemberStatus,
  type MemberView,
} from '../../api/federation.js';
import { useSession } from '../../auth/session.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { type MessageKey, useI18n } from '../../i18n/index.js';
import { NodeStatusTag } from './federation-status-tag.js';

/** The operations a member's status allows: revoked is final, and the root is not a member here. */
const MOVES: Record<string, MemberStatus[]> = {
  active: ['suspended', 'revoked'],
  suspended: ['active', 'revoked'],
};

/** Issues a one-time join token and shows it once. */
function JoinToken({ onIssued }: { onIssued: () => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [hours, setHours] = useState(24);
  const [issued, setIssued] = useState<JoinTokenView | null>(null);
  const issue = async () => {
    try {
      setIssued(await federationApi.issueToken(hours));
      onIssued();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Space wrap>
      <label htmlFor="fed-token-hours">{t('fed.token.hours')}</label>
      <InputNumber id="fed-token-hours" min={1} max={720} value={hours} onChange={(v) => setHours(v ?? 24)} />
      <Button type="primary" onClick={issue} data-testid="fed-token-issue">
        {t('fed.token.issue')}
      </Button>
      <Modal
        open={issued !== null}
        title={t('fed.token.title')}
        onCancel={() => setIssued(null)}
        onOk={() => setIssued(null)}
        okText={t('fed.token.done')}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Typography.Paragraph>{t('fed.token.once')}</Typography.Paragraph>
        <Typography.Paragraph code copyable data-testid="fed-token" style={{ wordBreak: 'break-all' }}>
          {issued?.token}
        </Typography.Paragraph>
        <Typography.Text type="secondary">
          {t('fed.token.expires', { time: formatTime(issued?.expiresAt, lang) ?? '' })}
        </Typography.Text>
      </Modal>
    </Space>
  );
}

/**
 * The root's membership: join requests waiting for a decision, and the members with the status
 * changes each allows (none for the root itself). Every change publishes the next configuration
 * version.
 */
export function FederationMembers({ selfNodeId }: { selfNodeId: string }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const { hasRole } = useSession();
  const client = useQueryClient();
  const manages = hasRole('platform_admin');
  const members = useQuery({ queryKey: ['federation-members'], queryFn: () => federationApi.members() });
  const refresh = () => {
    client.invalidateQueries({ queryKey: ['federation-members'] });
    client.invalidateQueries({ queryKey: ['federation-node'] });
  };
  const act = async (done: MessageKey, run: () => Promise<unknown>) => {
    try {
      await run();
      message.success(t(done));
      refresh();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const actions = (m: MemberView) => {
    // The root's own status is not an administrator's to change (it signs the configuration).
    if (m.nodeId === selfNodeId) return null;
    if (m.status === 'pending')
      return (
        <Space size={0}>
          <Button
            type="link"
            size="small"
            aria-label={`${t('fed.approve')} ${m.name}`}
            onClick={() => act('fed.approved', () => federationApi.decide(m.nodeId, 'approve'))}
          >
            {t('fed.approve')}
          </Button>
          <Popconfirm
            title={t('fed.rejectConfirm')}
            okText={t('fed.reject')}
            okButtonProps={{ danger: true }}
            cancelText={t('action.cancel')}
            onConfirm={() => act('fed.rejected', () => federationApi.decide(m.nodeId, 'reject'))}
          >
            <Button type="link" size="small" danger aria-label={`${t('fed.reject')} ${m.name}`}>
              {t('fed.reject')}
            </Button>
          </Popconfirm>
        </Space>
      );
    return (
      <Space size={0}>
        {(MOVES[m.status] ?? []).map((to) => (
          <Popconfirm
            key={to}
            title={t(`fed.move.${to}.confirm` as MessageKey)}
            okText={t(`fed.move.${to}` as MessageKey)}
            okButtonProps={{ danger: to !== 'active' }}
            cancelText={t('action.cancel')}
            onConfirm={() => act('fed.moved', () => federationApi.setStatus(m.nodeId, to))}
          >
            <Button
              type="link"
              size="small"
              danger={to !== 'active'}
              aria-label={`${t(`fed.move.${to}` as MessageKey)} ${m.name}`}
            >
              {t(`fed.move.${to}` as MessageKey)}
            </Button>
          </Popconfirm>
        ))}
      </Space>
    );
  };
  return (
    <Card
      title={t('fed.members')}
      size="small"
      extra={manages && <JoinToken onIssued={refresh} />}
      data-testid="fed-members-card"
    >
      {members.error && <ErrorAlert error={members.error} onRetry={() => members.refetch()} />}
      <Table<MemberView>
        rowKey="nodeId"
        size="small"
        data-testid="fed-members"
        loading={members.isPending}
        dataSource={members.data?.items ?? []}
        pagination={{ hideOnSinglePage: true, pageSize: 50 }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('fed.members.empty') }}
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
            title: t('common.status'),
            dataIndex: 'status',
            render: (s: string) => <NodeStatusTag status={s} />,
          },
          {
            title: t('fed.requestedAt'),
            dataIndex: 'requestedAt',
            render: (d: string) => formatTime(d, lang),
          },
          {
            title: t('fed.decidedAt'),
            dataIndex: 'decidedAt',
            render: (d: string | null) => formatTime(d, lang) ?? '—',
          },
          ...(manages
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, m: MemberView) => actions(m),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
