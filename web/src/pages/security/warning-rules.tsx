import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, InputNumber, Select, Space, Switch, Table, Tooltip } from 'antd';
import { useState } from 'react';
import { type RuleSettingsInput, type RuleView, warningApi } from '../../api/warning.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { type MessageKey, useI18n } from '../../i18n/index.js';

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** The detectors' rules: on or off, severity, thresholds and automatic response, each saved (and audited) on its own. */
export function WarningRules({ editable }: { editable: boolean }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const rules = useQuery({ queryKey: ['warning', 'rules'], queryFn: () => warningApi.rules() });
  const [drafts, setDrafts] = useState<Record<string, RuleSettingsInput>>({});
  const draft = (rule: string, change: RuleSettingsInput) =>
    setDrafts((d) => ({
      ...d,
      [rule]: { ...d[rule], ...change, settings: { ...d[rule]?.settings, ...change.settings } },
    }));
  const save = async (rule: string) => {
    try {
      await warningApi.setRule(rule, drafts[rule] ?? {});
      setDrafts(({ [rule]: _, ...rest }) => rest);
      message.success(t('warn.done'));
      await client.invalidateQueries({ queryKey: ['warning', 'rules'] });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const value = <K extends keyof RuleSettingsInput>(r: RuleView, key: K) => drafts[r.rule]?.[key];
  return (
    <>
      {rules.error && <ErrorAlert error={rules.error} onRetry={() => rules.refetch()} />}
      <Table<RuleView>
        rowKey="rule"
        loading={rules.isPending}
        dataSource={rules.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('warn.rule'),
            key: 'rule',
            render: (_, r) => (
              <Tooltip title={r.description}>
                <span>{r.title}</span>
              </Tooltip>
            ),
          },
          {
            title: t('warn.enabled'),
            key: 'enabled',
            render: (_, r) => (
              <Switch
                aria-label={`${r.title} ${t('warn.enabled')}`}
                disabled={!editable}
                checked={value(r, 'enabled') ?? r.enabled}
                onChange={(enabled) => draft(r.rule, { enabled })}
              />
            ),
          },
          {
            title: t('warn.severity'),
            key: 'severity',
            render: (_, r) => (
              <Select
                aria-label={`${r.title} ${t('warn.severity')}`}
                disabled={!editable}
                style={{ width: 96 }}
                value={value(r, 'severity') ?? r.severity}
                onChange={(severity) => draft(r.rule, { severity })}
                options={SEVERITIES.map((s) => ({ value: s, label: t(`warn.severity.${s}` as MessageKey) }))}
              />
            ),
          },
          {
            title: t('warn.settings'),
            key: 'settings',
            render: (_, r) => (
              <Space wrap>
                {Object.entries(r.limits).map(([name, limit]) => (
                  <InputNumber
                    key={name}
                    aria-label={`${r.title} ${name}`}
                    disabled={!editable}
                    addonBefore={name}
                    min={limit.min}
                    max={limit.max}
                    value={value(r, 'settings')?.[name] ?? r.settings[name]}
                    onChange={(v) => v !== null && draft(r.rule, { settings: { [name]: Number(v) } })}
                  />
                ))}
              </Space>
            ),
          },
          {
            title: t('warn.autoResponse'),
            key: 'response',
            render: (_, r) => (
              <Select
                aria-label={`${r.title} ${t('warn.autoResponse')}`}
                disabled={!editable || r.responses.length < 2}
                style={{ width: 120 }}
                value={value(r, 'response') ?? r.response}
                onChange={(response) => draft(r.rule, { response })}
                options={r.responses.map((s) => ({
                  value: s,
                  label: t(`warn.autoResponse.${s}` as MessageKey),
                }))}
              />
            ),
          },
          {
            title: '',
            key: 'save',
            render: (_, r) =>
              editable && (
                <Button size="small" type="primary" disabled={!drafts[r.rule]} onClick={() => save(r.rule)}>
                  {t('warn.save')}
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
