import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App as AntApp,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Table,
  Tag,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { type DeadlineRuleView, governanceApi, type OverrideView } from '../../api/governance.js';
import { ruleLabel } from '../../components/deadline-rule-label.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { useI18n } from '../../i18n/index.js';

interface NewOverride {
  day: Dayjs;
  kind: 'holiday' | 'workday';
  reason: string;
}

/** 工作日历与时限: the deadlines by grade and the local calendar changes (platform administrator). */
export default function CalendarPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const rules = useQuery({ queryKey: ['deadline-rules'], queryFn: governanceApi.rules });
  const overrides = useQuery({ queryKey: ['calendar-overrides'], queryFn: governanceApi.overrides });
  const [form] = Form.useForm<NewOverride>();
  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      message.success(done);
      await client.invalidateQueries({ queryKey: ['deadline-rules'] });
      await client.invalidateQueries({ queryKey: ['calendar-overrides'] });
    } catch (error) {
      message.error(errorMessage(error));
    }
  };
  const saveRule = (rule: DeadlineRuleView, workingDays: number | null) =>
    workingDays &&
    act(
      () =>
        governanceApi.setRule({
          step: rule.step,
          sharingType: rule.sharingType,
          grade: rule.grade,
          workingDays,
        }),
      t('cal.saved'),
    );
  const add = (v: NewOverride) =>
    act(async () => {
      await governanceApi.setOverride(v.day.format('YYYY-MM-DD'), { kind: v.kind, reason: v.reason });
      form.resetFields();
    }, t('cal.saved'));

  return (
    <div className="ht-page">
      <PageHeader title={t('cal.title')} subtitle={t('cal.subtitle')} />
      {(rules.error || overrides.error) && <ErrorAlert error={rules.error ?? overrides.error} />}
      <Card size="small" title={t('cal.rules')} style={{ marginBottom: 16 }}>
        <Table<DeadlineRuleView>
          rowKey={(r) => `${r.step}/${r.grade}`}
          size="small"
          pagination={false}
          loading={rules.isPending}
          dataSource={rules.data ?? []}
          columns={[
            { title: t('cal.grade'), key: 'g', render: (_, r) => ruleLabel(t, r) },
            {
              title: t('cal.days'),
              key: 'd',
              render: (_, r) => (
                <InputNumber
                  min={1}
                  max={366}
                  defaultValue={r.workingDays}
                  aria-label={`${ruleLabel(t, r)} ${t('cal.days')}`}
                  onBlur={(e) => {
                    const value = Number(e.target.value);
                    if (value !== r.workingDays) void saveRule(r, value);
                  }}
                />
              ),
            },
            {
              title: t('cal.source'),
              key: 's',
              render: (_, r) => <Tag>{r.source === 'set' ? t('cal.set') : t('cal.default')}</Tag>,
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('cal.overrides')}>
        <Form form={form} layout="inline" onFinish={add} style={{ marginBottom: 12 }} name="override">
          <Form.Item name="day" label={t('cal.day')} rules={[{ required: true }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="kind" label={t('cal.kind')} initialValue="holiday" rules={[{ required: true }]}>
            <Select
              style={{ width: 140 }}
              options={[
                { value: 'holiday', label: t('cal.kind.holiday') },
                { value: 'workday', label: t('cal.kind.workday') },
              ]}
            />
          </Form.Item>
          <Form.Item name="reason" label={t('cal.reason')} rules={[{ required: true, max: 200 }]}>
            <Input style={{ width: 240 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('cal.add')}
          </Button>
        </Form>
        <Table<OverrideView>
          rowKey="day"
          size="small"
          loading={overrides.isPending}
          dataSource={overrides.data ?? []}
          locale={{ emptyText: t('cal.none') }}
          columns={[
            { title: t('cal.day'), dataIndex: 'day' },
            {
              title: t('cal.kind'),
              key: 'k',
              render: (_, o) => (
                <Tag color={o.kind === 'holiday' ? 'red' : 'blue'}>{t(`cal.kind.${o.kind}`)}</Tag>
              ),
            },
            { title: t('cal.reason'), dataIndex: 'reason' },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_, o) => (
                <Popconfirm
                  title={t('cal.remove')}
                  onConfirm={() => act(() => governanceApi.removeOverride(o.day), t('cal.removed'))}
                >
                  <Button size="small">{t('cal.remove')}</Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </Card>
    </div>
  );
}
