import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Segmented, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { governanceApi, type SlaReport, type SlaStep } from '../../api/governance.js';
import { ruleLabel } from '../../components/deadline-rule-label.js';
import { ErrorAlert } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { type MessageKey, useI18n } from '../../i18n/index.js';

type Department = SlaReport['departments'][number];
type Overdue = SlaReport['overdue'][number];

const STEPS: SlaStep[] = ['access_request', 'objection', 'demand', 'catalog_review'];

/**
 * 办理时限统计: for the step picked (共享申请, 异议处理, 需求清单, 目录审核), the on-time rate per
 * responsible department and what is overdue now; the rules in force.
 */
export default function DeadlinesPage() {
  const { t } = useI18n();
  const [step, setStep] = useState<SlaStep>('access_request');
  const sla = useQuery({ queryKey: ['sla', step], queryFn: () => governanceApi.sla(step) });
  const requests = step === 'access_request';
  // Column labels that differ by step: who answers, who waits, what it is about.
  const department = t(
    step === 'demand' || step === 'catalog_review'
      ? (`sla.department.${step}` as MessageKey)
      : 'sla.department',
  );
  const consumer =
    step === 'objection' || step === 'demand' ? t(`sla.consumer.${step}` as MessageKey) : t('sla.consumer');
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
      <Segmented<SlaStep>
        value={step}
        onChange={setStep}
        aria-label={t('sla.stepPicker')}
        data-testid="sla-step"
        options={STEPS.map((s) => ({ value: s, label: t(`sla.step.${s}` as MessageKey) }))}
        style={{ marginBottom: 12 }}
      />
      {step === 'catalog_review' && (
        <Alert type="info" showIcon title={t('sla.catalogNote')} style={{ marginBottom: 12 }} />
      )}
      <Table<Department>
        rowKey="orgId"
        data-testid="sla-departments"
        loading={sla.isPending}
        dataSource={sla.data?.departments ?? []}
        pagination={false}
        style={{ marginBottom: 16 }}
        columns={[
          { title: department, dataIndex: 'orgName' },
          { title: t(requests ? 'sla.requests' : 'sla.items'), dataIndex: 'requests' },
          { title: t('sla.answered'), dataIndex: 'answered' },
          { title: t('sla.onTime'), dataIndex: 'answeredOnTime' },
          { title: t('sla.pending'), dataIndex: 'pending' },
          { title: t('sla.overdue'), dataIndex: 'overdue' },
          { title: t('sla.rate'), key: 'rate', render: (_, d) => percent(d.onTimeRate) },
        ]}
      />
      <Card size="small" title={t(requests ? 'sla.overdueList' : 'sla.overdueItems')}>
        <Table<Overdue>
          rowKey="id"
          data-testid="sla-overdue"
          loading={sla.isPending}
          dataSource={sla.data?.overdue ?? []}
          locale={{ emptyText: t(requests ? 'sla.none' : 'sla.noneItems') }}
          columns={[
            { title: t(step === 'demand' ? 'sla.demandTitle' : 'sla.resource'), dataIndex: 'title' },
            { title: department, dataIndex: 'providerName' },
            ...(step === 'catalog_review' ? [] : [{ title: consumer, dataIndex: 'consumerName' }]),
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
