import { useMutation } from '@tanstack/react-query';
import {
  App as AntApp,
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Switch,
  Tag,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import type { ResourceView } from '../../../api/catalog.js';
import { type AccessRequestView, type ItemFilter, type MaskSpec, sharingApi } from '../../../api/sharing.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { filterLabel, maskLabel } from '../../../components/sharing/labels.js';
import { useI18n } from '../../../i18n/index.js';
import { type ItemChoice, ItemsMasks } from './items-masks.js';
import { PrivacyFields, type PrivacyValues, privacyInitial, privacyTerms } from './privacy-fields.js';
import { type FilterRow, RowFilterBuilder, toFilter } from './row-filter-builder.js';

interface Values extends PrivacyValues {
  rowFilter: FilterRow[];
  validUntil: Dayjs;
  callsPerDay?: number;
  rowsPerDay?: number;
  allowedIps: string[];
  mayExport: boolean;
  comment: string;
}

/**
 * Approval in full or in part: items and masks, row conditions, period, quotas, IPs, export. A
 * later step starts from the terms agreed so far (`request.terms`), not from the request: only
 * the items the earlier step granted, its masks as the default, its row conditions kept, its
 * period, quotas, addresses and export; the reviewer can only narrow them. A sandbox request may
 * have its answers noised, and a statistics or noised one has an ε budget (privacy-fields.tsx).
 */
export function ApproveForm({
  request: r,
  resource,
  onDone,
}: {
  request: AccessRequestView;
  resource: ResourceView | undefined;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const agreed = r.terms;
  const [choices, setChoices] = useState<ItemChoice[]>(
    (agreed ? agreed.items.map((i) => i.name) : r.items).map((name) => ({ name, granted: true })),
  );
  // The earlier step's mask is what "default" keeps for each item at a later step.
  const earlierMasks = Object.fromEntries((agreed?.items ?? []).map((i) => [i.name, maskLabel(t, i.mask)]));
  const earlierFilter = agreed?.rowFilter ?? [];
  const until = agreed?.validUntil ?? r.validUntil;
  const approve = useMutation({
    mutationFn: (v: Values) => {
      const quota =
        v.callsPerDay && v.rowsPerDay ? { callsPerDay: v.callsPerDay, rowsPerDay: v.rowsPerDay } : undefined;
      return sharingApi.approve(r.id, {
        items: choices
          .filter((c) => c.granted)
          .map((c) => ({ name: c.name, ...(c.mask ? { mask: { kind: c.mask } as MaskSpec } : {}) })),
        rowFilter: [
          ...earlierFilter,
          ...(v.rowFilter ?? []).map(toFilter).filter((f): f is ItemFilter => f !== null),
        ],
        // The end of the chosen day, but never past the period agreed so far (which may end mid-day).
        validUntil: (v.validUntil.endOf('day').isAfter(until)
          ? dayjs(until)
          : v.validUntil.endOf('day')
        ).toISOString(),
        ...(quota ? { quota } : {}),
        allowedIps: v.allowedIps ?? [],
        mayExport: v.mayExport,
        ...privacyTerms(r, v),
        comment: v.comment ?? '',
      });
    },
    onSuccess: (outcome) => {
      message.success(t(outcome.grant ? 'rev.granted' : 'rev.passedOn'));
      onDone();
    },
  });
  const granted = choices.filter((c) => c.granted).length;

  return (
    <Form<Values>
      form={form}
      name="approve"
      layout="vertical"
      onFinish={(v) => approve.mutate(v)}
      initialValues={{
        rowFilter: [],
        validUntil: dayjs(until),
        callsPerDay: (agreed ? agreed.quota?.callsPerDay : r.expectedCallsPerDay) ?? undefined,
        rowsPerDay: (agreed ? agreed.quota?.rowsPerDay : r.expectedRowsPerDay) ?? undefined,
        allowedIps: agreed?.allowedIps ?? [],
        mayExport: agreed?.mayExport ?? false,
        ...privacyInitial(r),
        comment: '',
      }}
    >
      <Form.Item label={t('rev.itemsMasks', { n: granted, total: choices.length })}>
        <ItemsMasks
          value={choices}
          onChange={setChoices}
          items={resource?.items ?? []}
          defaults={earlierMasks}
        />
      </Form.Item>
      <Form.Item label={t('grants.rowFilter')} extra={t('rev.filterHelp')}>
        {earlierFilter.length > 0 && (
          <div style={{ marginBottom: 8 }} data-testid="earlier-filter">
            <span style={{ marginInlineEnd: 8 }}>{t('rev.earlierFilter')}</span>
            {earlierFilter.map((f) => (
              <Tag key={filterLabel(f)}>{filterLabel(f)}</Tag>
            ))}
          </div>
        )}
        <RowFilterBuilder items={r.items} />
      </Form.Item>
      <Space wrap size={16}>
        <Form.Item name="validUntil" label={t('grants.validUntil')} extra={t('rev.notBeyond')}>
          <DatePicker disabledDate={(d) => d.isBefore(dayjs(), 'day') || d.isAfter(dayjs(until), 'day')} />
        </Form.Item>
        <Form.Item name="callsPerDay" label={t('rev.callsPerDay')}>
          <InputNumber min={1} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="rowsPerDay" label={t('rev.rowsPerDay')}>
          <InputNumber min={1} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item name="mayExport" label={t('grants.export')} valuePropName="checked">
          <Switch disabled={agreed !== null && !agreed.mayExport} />
        </Form.Item>
      </Space>
      <Form.Item name="allowedIps" label={t('grants.ips')} extra={t('rev.ipsHelp')}>
        <Select mode="tags" tokenSeparators={[',', ' ']} open={false} suffixIcon={null} />
      </Form.Item>
      <PrivacyFields request={r} />
      <Form.Item name="comment" label={t('rev.comment')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      {approve.error && <ErrorAlert error={approve.error} action="submit" />}
      <Button
        type="primary"
        htmlType="submit"
        loading={approve.isPending}
        disabled={granted === 0}
        data-testid="approve-submit"
      >
        {granted < choices.length ? t('rev.approvePart') : t('rev.approve')}
      </Button>
    </Form>
  );
}
