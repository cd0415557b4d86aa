import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Empty, Form, InputNumber, Radio, Select, Table } from 'antd';
import { useMemo, useState } from 'react';
import { catalogApi, type StatisticsAnswer, type StatisticsQuery } from '../../api/catalog.js';
import { fetchAll } from '../../api/identity.js';
import { sharingApi } from '../../api/sharing.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatNumber } from '../../components/format.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';

// Items that point at one person: the server refuses to group by them (item_not_aggregable).
const IDENTIFYING = new Set(['identity_document', 'biometric', 'bank_account', 'communication']);
// Half-width of the 95 % interval of Laplace noise of standard deviation σ: σ · ln 20 / √2.
const HALF_WIDTH_95 = Math.log(20) / Math.SQRT2;

interface FormValues {
  code?: string;
  fn: 'count' | 'sum' | 'avg';
  item?: string;
  groupItem?: string;
  groups?: string[];
  epsilon: number;
}

/** 隐私统计: COUNT, SUM or AVG of a resource held for statistics, noisy, with the ε it spent. */
export default function StatisticsPage() {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<FormValues>();
  const code = Form.useWatch('code', form);
  const fn = Form.useWatch('fn', form) ?? 'count';
  const groupItem = Form.useWatch('groupItem', form);
  const [answered, setAnswered] = useState<{ answer: StatisticsAnswer; fn: string } | null>(null);
  const grants = useQuery({
    queryKey: ['grants', 'consumer'],
    queryFn: () => fetchAll((cursor) => sharingApi.grants({ side: 'consumer', limit: 200, cursor })),
  });
  const held = (grants.data ?? []).filter((g) => g.use === 'statistics' && g.status === 'active');
  const grant = held.find((g) => g.resourceCode === code);
  const resource = useQuery({
    queryKey: ['resource', code],
    queryFn: () => catalogApi.resource(code!),
    enabled: Boolean(code),
  });
  const granted = useMemo(() => new Set(grant?.items.map((i) => i.name)), [grant]);
  const items = (resource.data?.items ?? []).filter((i) => granted.has(i.name));
  const numeric = items.filter(
    (i) =>
      i.dataType === 'number' &&
      i.bounds &&
      grant?.items.find((g) => g.name === i.name)?.mask.kind === 'none',
  );
  const groupable = items.filter((i) => !i.personalKind || !IDENTIFYING.has(i.personalKind));

  const run = useMutation({
    mutationFn: (v: FormValues) => {
      const body: StatisticsQuery = {
        measures: [v.fn === 'count' ? { fn: 'count' } : { fn: v.fn, item: v.item! }],
        epsilon: v.epsilon,
        ...(v.groupItem && v.groups?.length ? { groupBy: { item: v.groupItem, groups: v.groups } } : {}),
      };
      return catalogApi.statistics(v.code!, body);
    },
    onSuccess: (answer, v) => setAnswered({ answer, fn: v.fn }),
  });

  const rows = (answered?.answer.groups ?? []).map((g) => ({
    key: g.group ?? '',
    group: g.group ?? t('stat.all'),
    value: g.values[0]!.value,
    error: g.values[0]!.noiseStddev * HALF_WIDTH_95,
  }));
  const digits = answered?.fn === 'count' ? 0 : 2;
  const eps = answered?.answer.epsilon;
  return (
    <div className="ht-page">
      <PageHeader title={t('stat.title')} subtitle={t('stat.subtitle')} />
      {grants.error && <ErrorAlert error={grants.error} onRetry={() => grants.refetch()} />}
      <Card style={{ marginBottom: 16 }}>
        {!grants.isPending && held.length === 0 ? (
          <Empty description={t('stat.noGrant')} />
        ) : (
          <Form<FormValues>
            form={form}
            name="statistics"
            layout="vertical"
            initialValues={{ fn: 'count', epsilon: 0.5 }}
            onFinish={(v) => run.mutate(v)}
            style={{ maxWidth: 640 }}
          >
            <Form.Item name="code" label={t('stat.resource')} rules={[{ required: true }]}>
              <Select
                loading={grants.isPending}
                options={held.map((g) => ({
                  value: g.resourceCode,
                  label: `${g.names.resource ?? g.resourceCode} · ${g.names.provider ?? ''}`,
                }))}
                onChange={() => form.setFieldsValue({ item: undefined, groupItem: undefined, groups: [] })}
              />
            </Form.Item>
            {grant?.privacyBudget && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 16 }}
                message={t('stat.budget', {
                  perDay: grant.privacyBudget.epsilonPerDay,
                  total: grant.privacyBudget.epsilonTotal,
                })}
              />
            )}
            <Form.Item name="fn" label={t('stat.measure')}>
              <Radio.Group
                optionType="button"
                options={(['count', 'sum', 'avg'] as const).map((f) => ({ value: f, label: t(`stat.${f}`) }))}
              />
            </Form.Item>
            {fn !== 'count' && (
              <Form.Item
                name="item"
                label={t('stat.item')}
                extra={t('stat.itemHint')}
                rules={[{ required: true }]}
              >
                <Select options={numeric.map((i) => ({ value: i.name, label: i.name }))} />
              </Form.Item>
            )}
            <Form.Item name="groupItem" label={t('stat.group')}>
              <Select allowClear options={groupable.map((i) => ({ value: i.name, label: i.name }))} />
            </Form.Item>
            {groupItem && (
              <Form.Item
                name="groups"
                label={t('stat.groups')}
                extra={t('stat.groupsHint')}
                rules={[{ required: true, type: 'array', min: 1 }]}
              >
                <Select mode="tags" open={false} tokenSeparators={[',', '，']} />
              </Form.Item>
            )}
            <Form.Item name="epsilon" label={t('stat.epsilon')} extra={t('stat.epsilonHint')}>
              <InputNumber min={0.01} max={10} step={0.1} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={run.isPending} data-testid="statistics-run">
              {t('stat.run')}
            </Button>
          </Form>
        )}
      </Card>
      {run.error && <ErrorAlert error={run.error} />}
      {answered && eps && (
        <Card title={t('stat.answer')} data-testid="statistics-answer">
          <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('stat.spent')}>ε {formatNumber(eps.spent, lang)}</Descriptions.Item>
            <Descriptions.Item label={t('stat.remainingToday')}>
              ε {formatNumber(eps.remainingToday, lang)}
            </Descriptions.Item>
            <Descriptions.Item label={t('stat.remainingTotal')}>
              ε {formatNumber(eps.remainingTotal, lang)}
            </Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            pagination={false}
            dataSource={rows}
            caption={t('stat.mechanism')}
            columns={[
              { title: t('stat.groupCol'), dataIndex: 'group' },
              {
                title: t('stat.value'),
                key: 'v',
                align: 'right',
                render: (_, r) => r.value.toFixed(digits),
              },
              {
                title: t('stat.error95'),
                key: 'e',
                align: 'right',
                render: (_, r) => `± ${r.error.toFixed(digits === 0 ? 1 : 2)}`,
              },
            ]}
          />
        </Card>
      )}
    </div>
  );
}
