import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Space, Table, Tag } from 'antd';
import { governanceApi, type SlaReport } from '../../api/governance.js';
import { ruleLabel } from '../../components/deadline-rule-label.js';
import { ErrorAlert } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';

type Department = SlaReport['departments'][number];
type Overdue = SlaReport['overdue'][number];

/** 办理时限统计: on-time rate per providing department, the overdue requests, the rules in force. */
export default function DeadlinesPage() {
  const { t } = useI18n();
  const sla = useQuery({ queryKey: ['sla'], queryFn: governanceApi.sla });
  const rules = useQuery({ queryKey: ['deadline-rules'], queryFn: governanceApi.rules });
  const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
  return (
    <div className="ht-page">
      <PageHeader title={t('sla.title')} subtitle={t('sla.subtitle')} />
      {sla.error && <ErrorAlert error={sla.error} onRetry={() => sla.refetch()} />}
      {sla.data?.provisional && <Alert type="warning" showIcon title={t('sla.provisional')} />}
      <Card size="small" title={t('sla.rules')} style={{ marginBottom: 12 }}>
        <Space wrap>
          {(rules.data ?? []).map((r) => (
            <Tag key={`${r.step}/${r.grade}`}>
              {t('sla.rule', { step: ruleLabel(t, r), days: r.workingDays })}
            </Tag>
          ))}
        </Space>
      </Card>
      <Table<Department>
        rowKey="orgId"
        data-testid="sla-departments"
        loading={sla.isPending}
        dataSource={sla.data?.departments ?? []}
        pagination={false}
        style={{ marginBottom: 16 }}
        columns={[
          { title: t('sla.department'), dataIndex: 'orgName' },
          { title: t('sla.requests'), dataIndex: 'requests' },
          { title: t('sla.answered'), dataIndex: 'answered' },
          { title: t('sla.onTime'), dataIndex: 'answeredOnTime' },
          { title: t('sla.pending'), dataIndex: 'pending' },
          { title: t('sla.overdue'), dataIndex: 'overdue' },
          { title: t('sla.rate'), key: 'rate', render: (_, d) => percent(d.onTimeRate) },
        ]}
      />
      <Card size="small" title={t('sla.overdueList')}>
        <Table<Overdue>
          rowKey="id"
          data-testid="sla-overdue"
          loading={sla.isPending}
          dataSource={sla.data?.overdue ?? []}
          locale={{ emptyText: t('sla.none') }}
          columns={[
            { title: t('sla.resource'), dataIndex: 'resourceName' },
            { title: t('sla.department'), dataIndex: 'providerName' },
            { title: t('sla.consumer'), dataIndex: 'consumerName' },
            { title: t('sla.dueDate'), dataIndex: 'dueDate' },
            { title: t('sla.overdueDays'), dataIndex: 'overdueWorkingDays' },
            {
              title: t('sla.escalated'),
              key: 'escalated',
              render: (_, o) =>
                o.escalated ? (
                  <Tag color="red">{t('sla.escalated')}</Tag>
                ) : (
                  <Tag>{t('sla.notEscalated')}</Tag>
                ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
