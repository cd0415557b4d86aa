import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Input, Modal, Segmented, Select, Space, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import { type AlertStatus, type AlertView, type Severity, warningApi } from '../../api/warning.js';
import { useSession } from '../../auth/session.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { PageHeader } from '../../components/page-header.js';
import { type MessageKey, useI18n } from '../../i18n/index.js';
import { WarningBaselines } from './warning-baselines.js';
import { SEVERITY_TAGS as COLOURS, SEVERITIES, WarningGlance, WarningTrend } from './warning-overview.js';
import { WarningRules } from './warning-rules.js';

/**
 * 安全预警中心 (docs/warning.md): the open alerts by severity at a glance; the alerts with their
 * lifecycle; alerts per day and the latest events; each consumer's volume against its learned
 * baseline; and the rules' settings.
 */
export default function WarningPage() {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const officer = useSession().hasRole('security_officer');
  const [tab, setTab] = useState('alerts');
  const [status, setStatus] = useState<AlertStatus | 'all'>('open');
  const [severity, setSeverity] = useState<Severity | undefined>();
  const [resolving, setResolving] = useState<AlertView | null>(null);
  const [note, setNote] = useState('');
  const [assigning, setAssigning] = useState<AlertView | null>(null);
  const [assignee, setAssignee] = useState<string | undefined>();
  const officers = useQuery({ queryKey: ['warning', 'officers'], queryFn: () => warningApi.officers() });
  const officerName = (id: string) => officers.data?.find((o) => o.userId === id)?.name ?? id;
  const alerts = useQuery({
    queryKey: ['warning', 'alerts', status, severity],
    queryFn: () =>
      warningApi.alerts({
        limit: 200,
        ...(status === 'all' ? {} : { status }),
        ...(severity ? { severity } : {}),
      }),
  });
  const summary = useQuery({ queryKey: ['warning', 'summary'], queryFn: () => warningApi.summary() });
  const act = async (run: () => Promise<unknown>) => {
    try {
      await run();
      message.success(t('warn.done'));
      await client.invalidateQueries({ queryKey: ['warning', 'alerts'] });
      await client.invalidateQueries({ queryKey: ['warning', 'summary'] });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const table = (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Segmented
          aria-label={t('warn.status')}
          value={status}
          onChange={(v) => setStatus(v as AlertStatus | 'all')}
          options={(['open', 'acknowledged', 'resolved', 'all'] as const).map((s) => ({
            value: s,
            label: t(`warn.status.${s}` as MessageKey),
          }))}
        />
        <Select<Severity | 'all'>
          aria-label={t('warn.severity')}
          style={{ minWidth: 120 }}
          value={severity ?? 'all'}
          onChange={(v) => setSeverity(v === 'all' ? undefined : v)}
          options={[
            { value: 'all', label: `${t('warn.severity')}：${t('warn.status.all')}` },
            ...SEVERITIES.map((s) => ({ value: s, label: t(`warn.severity.${s}` as MessageKey) })),
          ]}
        />
      </Space>
      {alerts.error && <ErrorAlert error={alerts.error} onRetry={() => alerts.refetch()} />}
      <Table<AlertView>
        rowKey="id"
        loading={alerts.isPending}
        dataSource={alerts.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('warn.severity'),
            key: 'severity',
            render: (_, a) => (
              <Tag color={COLOURS[a.severity]}>{t(`warn.severity.${a.severity}` as MessageKey)}</Tag>
            ),
          },
          { title: t('warn.summary'), dataIndex: 'summary', key: 'summary' },
          { title: t('warn.count'), dataIndex: 'count', key: 'count' },
          {
            title: t('warn.lastSeen'),
            key: 'lastSeen',
            render: (_, a) => new Date(a.lastSeen).toLocaleString(),
          },
          {
            title: t('warn.entries'),
            key: 'entries',
            render: (_, a) =>
              a.firstIndex === a.lastIndex ? `#${a.firstIndex}` : `#${a.firstIndex}–#${a.lastIndex}`,
          },
          {
            title: t('warn.status'),
            key: 'status',
            render: (_, a) => (
              <Space size={4} wrap>
                <Tag>{t(`warn.status.${a.status}` as MessageKey)}</Tag>
                {a.assigneeId && (
                  <Tag color="blue">{t('warn.assignee', { name: officerName(a.assigneeId) })}</Tag>
                )}
                {a.response && (
                  <Tag color={a.response.undoneAt ? 'default' : 'red'}>
                    {a.response.undoneAt
                      ? t('warn.response.undone')
                      : t(`warn.response.${a.response.kind}` as MessageKey)}
                  </Tag>
                )}
              </Space>
            ),
          },
          ...(officer
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, a: AlertView) => (
                    <Space size={4}>
                      {a.status === 'open' && (
                        <Button size="small" onClick={() => act(() => warningApi.acknowledge(a.id))}>
                          {t('warn.acknowledge')}
                        </Button>
                      )}
                      {a.status !== 'resolved' && (
                        <Button
                          size="small"
                          onClick={() => {
                            setAssignee(a.assigneeId ?? undefined);
                            setAssigning(a);
                          }}
                        >
                          {t('warn.assign')}
                        </Button>
                      )}
                      {a.status !== 'resolved' && (
                        <Button size="small" onClick={() => setResolving(a)}>
                          {t('warn.resolve')}
                        </Button>
                      )}
                      {a.response && !a.response.undoneAt && (
                        <Button size="small" danger onClick={() => act(() => warningApi.undoResponse(a.id))}>
                          {t('warn.undo')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={assigning !== null}
        title={t('warn.assign')}
        okButtonProps={{ disabled: !assignee }}
        onCancel={() => setAssigning(null)}
        onOk={async () => {
          const alert = assigning!;
          setAssigning(null);
          await act(() => warningApi.assign(alert.id, assignee!));
        }}
      >
        <Select
          aria-label={t('warn.assign.to')}
          placeholder={t('warn.assign.to')}
          style={{ width: '100%' }}
          showSearch={{ optionFilterProp: 'label' }}
          loading={officers.isPending}
          value={assignee}
          onChange={setAssignee}
          options={(officers.data ?? []).map((o) => ({
            value: o.userId,
            label: o.orgName ? `${o.name} · ${o.orgName}` : o.name,
          }))}
        />
      </Modal>
      <Modal
        open={resolving !== null}
        title={t('warn.resolve')}
        okButtonProps={{ disabled: note.trim() === '' }}
        onCancel={() => setResolving(null)}
        onOk={async () => {
          const alert = resolving!;
          setResolving(null);
          await act(() => warningApi.resolve(alert.id, note.trim()));
          setNote('');
        }}
      >
        <Input.TextArea
          aria-label={t('warn.resolve.note')}
          placeholder={t('warn.resolve.required')}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={3}
        />
      </Modal>
    </>
  );
  return (
    <div className="ht-page">
      <PageHeader title={t('warn.title')} subtitle={t('warn.subtitle')} />
      {summary.error && <ErrorAlert error={summary.error} onRetry={() => summary.refetch()} />}
      <WarningGlance
        summary={summary.data}
        onShow={(s) => {
          setStatus('open');
          setSeverity(s);
          setTab('alerts');
        }}
      />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'alerts', label: t('warn.tab.alerts'), children: table },
          {
            key: 'trend',
            label: t('warn.tab.trend'),
            children: summary.data && <WarningTrend summary={summary.data} />,
          },
          { key: 'baselines', label: t('warn.tab.baselines'), children: <WarningBaselines /> },
          { key: 'rules', label: t('warn.tab.rules'), children: <WarningRules editable={officer} /> },
        ]}
      />
    </div>
  );
}
