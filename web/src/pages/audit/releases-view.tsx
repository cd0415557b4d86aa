import { useQuery } from '@tanstack/react-query';
import { DatePicker, Form, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { auditApi, type ReleaseSummaryRow } from '../../api/audit.js';
import { ErrorAlert } from '../../components/error-result.js';
import { formatTime } from '../../components/format.js';
import { useI18n } from '../../i18n/index.js';

/** 谁从谁处获得了什么: releases summed by recipient organisation, recipient, provider and resource. */
export function ReleasesView() {
  const { t, lang } = useI18n();
  const [period, setPeriod] = useState<{ since?: string; until?: string }>({});
  const summary = useQuery({
    queryKey: ['audit-releases', period],
    queryFn: () => auditApi.releases(period),
  });
  // Grouped by the recipient's organisation: rows of one organisation together, its name once.
  const rows = [...(summary.data?.items ?? [])].sort(
    (a, b) =>
      (a.recipient.orgName ?? '').localeCompare(b.recipient.orgName ?? '', 'zh-CN') ||
      (a.recipient.name ?? '').localeCompare(b.recipient.name ?? '', 'zh-CN') ||
      (a.resource.name ?? '').localeCompare(b.resource.name ?? '', 'zh-CN'),
  );
  const span = (index: number) => {
    const org = rows[index]!.recipient.orgId;
    if (index > 0 && rows[index - 1]!.recipient.orgId === org) return 0;
    let n = 1;
    while (rows[index + n]?.recipient.orgId === org) n++;
    return n;
  };
  return (
    <div>
      <Typography.Paragraph type="secondary">{t('aud.relHelp')}</Typography.Paragraph>
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t('aud.period')}>
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            onChange={(v: [Dayjs | null, Dayjs | null] | null) =>
              setPeriod({
                since: v?.[0]?.startOf('day').toISOString(),
                until: v?.[1]?.endOf('day').toISOString(),
              })
            }
          />
        </Form.Item>
      </Form>
      {summary.error && <ErrorAlert error={summary.error} onRetry={() => summary.refetch()} />}
      <Table<ReleaseSummaryRow>
        rowKey={(r) => `${r.recipient.kind}:${r.recipient.id}:${r.resource.code}`}
        size="small"
        loading={summary.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 1400 }}
        locale={{ emptyText: t('aud.noReleases') }}
        data-testid="releases-summary"
        columns={[
          {
            title: t('aud.recipientOrg'),
            key: 'org',
            width: 180,
            onCell: (_, i) => ({ rowSpan: span(i ?? 0) }),
            render: (_, r) => r.recipient.orgName ?? r.recipient.orgId ?? '—',
          },
          {
            title: t('aud.recipient'),
            key: 'recipient',
            width: 180,
            render: (_, r) =>
              r.recipient.kind === 'system' ? (
                r.recipient.id === 'anonymous' ? (
                  t('aud.visitor')
                ) : (
                  t('aud.platform')
                )
              ) : (
                <Space size={4} wrap>
                  <Tag>
                    {r.recipient.kind === 'application' ? t('aud.kindApplication') : t('aud.kindUser')}
                  </Tag>
                  {r.recipient.name ?? r.recipient.id}
                </Space>
              ),
          },
          {
            title: t('aud.provider'),
            key: 'provider',
            width: 160,
            render: (_, r) => r.provider.name ?? r.provider.id ?? '—',
          },
          {
            title: t('aud.resources'),
            key: 'resource',
            width: 200,
            render: (_, r) => <span title={r.resource.code}>{r.resource.name ?? r.resource.code}</span>,
          },
          { title: t('aud.items'), key: 'items', width: 220, render: (_, r) => r.items.join('、') },
          { title: t('aud.releases'), dataIndex: 'releases', width: 90, align: 'right' },
          { title: t('aud.completed'), dataIndex: 'completed', width: 90, align: 'right' },
          {
            title: t('aud.rows'),
            key: 'rows',
            width: 100,
            align: 'right',
            render: (_, r) => r.rows.toLocaleString(lang),
          },
          { title: t('aud.last'), key: 'last', width: 170, render: (_, r) => formatTime(r.last, lang) },
        ]}
      />
    </div>
  );
}
