import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App as AntApp,
  Button,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Space,
  Table,
  Tabs,
  Tag,
  Timeline,
} from 'antd';
import { useState } from 'react';
import { type ObjectionStatus, type ObjectionView, objectionsApi } from '../../../api/objections.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { formatTime } from '../../../components/format.js';
import { DeadlineTag } from '../../../components/sharing/deadline-tag.js';
import { type MessageKey, useI18n } from '../../../i18n/index.js';

const COLORS: Record<ObjectionStatus, string> = {
  open: 'orange',
  reopened: 'red',
  corrected: 'blue',
  explained: 'purple',
  confirmed: 'green',
};

/** The state of an objection as a coloured tag. */
export function ObjectionStatusTag({ status }: { status: ObjectionStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={COLORS[status]} data-testid="objection-status">
      {t(`obj.status.${status}` as MessageKey)}
    </Tag>
  );
}

type Action = 'correct' | 'explain' | 'confirm' | 'reopen';
/** What each side may do from each state (the server refuses the rest). */
const ACTIONS: Record<'consumer' | 'provider', Partial<Record<ObjectionStatus, Action[]>>> = {
  provider: { open: ['correct', 'explain'], reopened: ['correct', 'explain'] },
  consumer: { corrected: ['confirm', 'reopen'], explained: ['confirm', 'reopen'] },
};

/** A reply to one action (the answer, the reopening reason, an optional comment on confirming). */
function ActionModal({
  objection,
  action,
  onClose,
}: {
  objection: ObjectionView;
  action: Action;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ text: string }>();
  const act = useMutation({
    mutationFn: async () => {
      const { text = '' } = await form.validateFields();
      return action === 'confirm'
        ? objectionsApi.confirm(objection.id, text)
        : objectionsApi[action](objection.id, text);
    },
    onSuccess: () => {
      message.success(t('obj.done'));
      client.invalidateQueries({ queryKey: ['objections'] });
      onClose();
    },
  });
  const label = action === 'reopen' ? t('obj.reason') : t('obj.reply');
  return (
    <Modal
      open
      title={`${t(`obj.${action}` as MessageKey)} · ${objection.resource.name}`}
      okText={t('obj.submit')}
      onOk={() => act.mutate()}
      confirmLoading={act.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      {act.error && <ErrorAlert error={act.error} />}
      <Form form={form} layout="vertical">
        <Form.Item
          name="text"
          label={label}
          rules={
            action === 'confirm' ? [] : [{ required: true, whitespace: true, message: t('obj.required') }]
          }
        >
          <Input.TextArea rows={4} maxLength={4000} data-testid="objection-reply" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One objection: what is wrong and what is right, the rows, and its history. */
function ObjectionDrawer({ objection, onClose }: { objection: ObjectionView; onClose: () => void }) {
  const { t, lang } = useI18n();
  return (
    <Drawer open width={640} title={t('obj.details')} onClose={onClose} destroyOnHidden>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('obj.resource')}>
          {objection.resource.name}（{objection.resource.code}）
        </Descriptions.Item>
        <Descriptions.Item label={t('obj.status')}>
          <ObjectionStatusTag status={objection.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('req.deadline')}>
          <DeadlineTag clock={objection.deadline} />
        </Descriptions.Item>
        <Descriptions.Item label={t('obj.consumer')}>{objection.consumer.name}</Descriptions.Item>
        <Descriptions.Item label={t('obj.provider')}>{objection.provider.name}</Descriptions.Item>
        <Descriptions.Item label={t('obj.keyColumn')}>{objection.keyColumn}</Descriptions.Item>
        <Descriptions.Item label={t('obj.rowKeys')}>{objection.rowKeys.join('、')}</Descriptions.Item>
        <Descriptions.Item label={t('obj.items')}>{objection.items.join('、')}</Descriptions.Item>
        <Descriptions.Item label={t('obj.description')}>{objection.description}</Descriptions.Item>
        <Descriptions.Item label={t('obj.expected')}>{objection.expected}</Descriptions.Item>
        {objection.evidence && (
          <Descriptions.Item label={t('obj.evidence')}>{objection.evidence}</Descriptions.Item>
        )}
      </Descriptions>
      <h2 className="ht-section-title" style={{ marginTop: 16, fontSize: 16 }}>
        {t('obj.history')}
      </h2>
      <Timeline
        items={objection.history.map((s) => ({
          children: (
            <div>
              <strong>{t(`obj.step.${s.action}` as MessageKey)}</strong> · {s.by} · {formatTime(s.at, lang)}
              {s.text && <div>{s.text}</div>}
            </div>
          ),
        }))}
      />
    </Drawer>
  );
}

/**
 * The objections of one side: raised by the caller's organisation (consumer) or against it
 * (provider), by state, with the actions the side may take from each state.
 */
export function ObjectionTable({ side }: { side: 'consumer' | 'provider' }) {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<ObjectionStatus | 'all'>('all');
  const [acting, setActing] = useState<{ objection: ObjectionView; action: Action } | null>(null);
  const [open, setOpen] = useState<ObjectionView | null>(null);
  const role = side === 'consumer' ? 'raised' : 'against';
  const list = useQuery({
    queryKey: ['objections', role, status],
    queryFn: () => objectionsApi.list({ role, status: status === 'all' ? undefined : status }),
  });
  const statuses: (ObjectionStatus | 'all')[] = [
    'all',
    'open',
    'reopened',
    'corrected',
    'explained',
    'confirmed',
  ];
  return (
    <>
      <Tabs
        activeKey={status}
        onChange={(k) => setStatus(k as ObjectionStatus | 'all')}
        items={statuses.map((s) => ({
          key: s,
          label: t(s === 'all' ? 'obj.all' : (`obj.status.${s}` as MessageKey)),
        }))}
      />
      {list.error && <ErrorAlert error={list.error} onRetry={() => list.refetch()} />}
      <Table<ObjectionView>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('obj.empty') }}
        aria-label={t(side === 'consumer' ? 'obj.mine.title' : 'obj.against.title')}
        data-testid="objections"
        columns={[
          { title: t('obj.resource'), key: 'resource', render: (_, o) => o.resource.name },
          side === 'consumer'
            ? { title: t('obj.provider'), key: 'party', render: (_, o) => o.provider.name }
            : { title: t('obj.consumer'), key: 'party', render: (_, o) => o.consumer.name },
          { title: t('obj.rowKeys'), key: 'rows', render: (_, o) => o.rowKeys.join('、') },
          { title: t('obj.items'), key: 'items', render: (_, o) => o.items.join('、') },
          { title: t('obj.filedAt'), key: 'filed', render: (_, o) => formatTime(o.filedAt, lang) },
          {
            title: t('obj.status'),
            key: 'status',
            render: (_, o) => <ObjectionStatusTag status={o.status} />,
          },
          { title: t('req.deadline'), key: 'deadline', render: (_, o) => <DeadlineTag clock={o.deadline} /> },
          {
            title: '',
            key: 'actions',
            render: (_, o) => (
              <Space size="small" wrap>
                <Button size="small" onClick={() => setOpen(o)}>
                  {t('obj.details')}
                </Button>
                {(ACTIONS[side][o.status] ?? []).map((action) => (
                  <Button
                    key={action}
                    size="small"
                    type={action === 'correct' || action === 'confirm' ? 'primary' : 'default'}
                    onClick={() => setActing({ objection: o, action })}
                    data-testid={`objection-${action}`}
                  >
                    {t(`obj.${action}` as MessageKey)}
                  </Button>
                ))}
              </Space>
            ),
          },
        ]}
      />
      {acting && <ActionModal {...acting} onClose={() => setActing(null)} />}
      {open && <ObjectionDrawer objection={open} onClose={() => setOpen(null)} />}
    </>
  );
}
