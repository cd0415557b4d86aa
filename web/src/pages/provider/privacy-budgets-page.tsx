import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Form, InputNumber, Modal, Progress, Table, Tag } from 'antd';
import { useState } from 'react';
import { fetchAll } from '../../api/identity.js';
import { type GrantView, sharingApi } from '../../api/sharing.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { formatNumber } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';

/**
 * 隐私预算: the ε spent by each consumer of the organisation's resources under statistics grants
 * and sandbox grants whose answers are noised.
 */
export default function PrivacyBudgetsPage() {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState<GrantView | null>(null);
  const [form] = Form.useForm<{ epsilonPerDay: number; epsilonTotal: number }>();
  const lower = useMutation({
    mutationFn: (v: { epsilonPerDay: number; epsilonTotal: number }) =>
      sharingApi.lowerPrivacyBudget(editing!.id, v),
    onSuccess: async () => {
      setEditing(null);
      message.success(t('common.saved'));
      await client.invalidateQueries({ queryKey: ['grants', 'provider'] });
    },
    onError: (error) => message.error(errorMessage(error)),
  });
  const grants = useQuery({
    queryKey: ['grants', 'provider'],
    queryFn: () => fetchAll((cursor) => sharingApi.grants({ side: 'provider', limit: 200, cursor })),
  });
  const statistics = (grants.data ?? []).filter((g) => g.use === 'statistics' || g.sandboxNoise != null);
  const budgets = useQueries({
    queries: statistics.map((g) => ({
      queryKey: ['privacy-budget', g.id],
      queryFn: () => sharingApi.privacyBudget(g.id),
    })),
  });
  const spent = new Map(budgets.flatMap((b) => (b.data ? [[b.data.grantId, b.data] as const] : [])));
  const gauge = (used: number | undefined, limit: number | null | undefined) => {
    const ratio = used !== undefined && limit ? Math.min(100, (used / limit) * 100) : 0;
    return (
      <div style={{ minWidth: 160 }}>
        <span>
          ε {formatNumber(used, lang)} / {formatNumber(limit, lang)}
        </span>
        <Progress
          percent={Math.round(ratio)}
          size="small"
          showInfo={false}
          status={ratio >= 100 ? 'exception' : 'normal'}
          aria-label={`${Math.round(ratio)}%`}
        />
      </div>
    );
  };
  return (
    <div className="ht-page">
      <PageHeader title={t('budget.title')} subtitle={t('budget.subtitle')} />
      {grants.error && <ErrorAlert error={grants.error} onRetry={() => grants.refetch()} />}
      <Table<GrantView>
        rowKey="id"
        loading={grants.isPending}
        dataSource={statistics}
        locale={{ emptyText: t('budget.none') }}
        columns={[
          { title: t('budget.consumer'), key: 'c', render: (_, g) => g.names.consumer ?? '—' },
          {
            title: t('budget.resource'),
            key: 'r',
            render: (_, g) => (
              <>
                {g.names.resource ?? g.resourceCode} <Tag>{t(`grants.status.${g.status}`)}</Tag>
                {g.sandboxNoise ? (
                  <Tag color="purple">{t('grants.noised', { epsilon: g.sandboxNoise.epsilon })}</Tag>
                ) : null}
              </>
            ),
          },
          { title: t('budget.application'), key: 'a', render: (_, g) => g.names.application ?? '—' },
          {
            title: t('budget.today'),
            key: 'd',
            render: (_, g) => gauge(spent.get(g.id)?.spentToday, g.privacyBudget?.epsilonPerDay),
          },
          {
            title: t('budget.total'),
            key: 't',
            render: (_, g) => gauge(spent.get(g.id)?.spentTotal, g.privacyBudget?.epsilonTotal),
          },
          {
            title: t('common.actions'),
            key: 'x',
            render: (_, g) =>
              g.status === 'active' && g.privacyBudget ? (
                <Button
                  size="small"
                  onClick={() => {
                    form.setFieldsValue(g.privacyBudget!);
                    setEditing(g);
                  }}
                >
                  {t('budget.lower')}
                </Button>
              ) : null,
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={t('budget.lower')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        confirmLoading={lower.isPending}
        destroyOnHidden
      >
        <p>{t('budget.lowerHint')}</p>
        <Form form={form} name="lower-budget" layout="vertical" onFinish={(v) => lower.mutate(v)}>
          <Form.Item name="epsilonPerDay" label={t('budget.perDay')} rules={[{ required: true }]}>
            <InputNumber min={0.01} max={editing?.privacyBudget?.epsilonPerDay} step={0.1} />
          </Form.Item>
          <Form.Item name="epsilonTotal" label={t('budget.totalLimit')} rules={[{ required: true }]}>
            <InputNumber min={0.01} max={editing?.privacyBudget?.epsilonTotal} step={0.5} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
