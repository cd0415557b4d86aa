import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Form, Input, Popconfirm, Radio, Select, Space } from 'antd';
import { useState } from 'react';
import { type AnswerDemandInput, type DemandView, demandsApi } from '../../../api/demands.js';
import { useSession } from '../../../auth/session.js';
import { errorMessage } from '../../../components/error-result.js';
import { useI18n } from '../../../i18n/index.js';
import { useOrganizations } from './organizations.js';

type AnswerKind = AnswerDemandInput['kind'];

/** Runs a change to a demand, then refreshes the list and the open demand. */
function useDemandChange(done: string) {
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (work: () => Promise<DemandView>) => work(),
    onSuccess: async () => {
      message.success(done);
      await client.invalidateQueries({ queryKey: ['demands'] });
    },
    onError: (error) => message.error(errorMessage(error)),
  });
}

/** 分派: the platform administrator picks the department that should answer. */
function AssignCard({ demand }: { demand: DemandView }) {
  const { t } = useI18n();
  const orgs = useOrganizations();
  const change = useDemandChange(t('dm.assignedDone'));
  return (
    <Card size="small" title={t('dm.assign')}>
      <Form
        name="assign"
        layout="vertical"
        initialValues={{ orgId: demand.suggestedOrganization?.id }}
        onFinish={(v: { orgId: string; note?: string }) =>
          change.mutate(() => demandsApi.assign(demand.id, v))
        }
      >
        <Form.Item
          name="orgId"
          label={t('dm.assignTo')}
          rules={[{ required: true, message: t('common.required', { field: t('dm.assignTo') }) }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={orgs.isPending}
            options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
          />
        </Form.Item>
        <Form.Item name="note" label={t('dm.assignNote')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('dm.assign')}
        </Button>
      </Form>
    </Card>
  );
}

/** 答复: the assigned department answers (resource, new entry, refusal) or declines the assignment. */
function AnswerCard({ demand }: { demand: DemandView }) {
  const { t } = useI18n();
  const [kind, setKind] = useState<AnswerKind>('existing_resource');
  const answer = useDemandChange(t('dm.answered'));
  const decline = useDemandChange(t('dm.declined'));
  const [declining, setDeclining] = useState(false);
  const submit = (v: { resourceCode?: string; note?: string; reason?: string }) =>
    answer.mutate(() =>
      demandsApi.answer(
        demand.id,
        kind === 'refusal'
          ? { kind, reason: v.reason ?? '' }
          : { kind, resourceCode: v.resourceCode ?? '', note: v.note ?? '' },
      ),
    );
  return (
    <Card size="small" title={t('dm.answer')}>
      <Form name="answer" layout="vertical" onFinish={submit}>
        <Form.Item label={t('dm.answer')}>
          <Radio.Group
            value={kind}
            onChange={(e) => setKind(e.target.value as AnswerKind)}
            options={(['existing_resource', 'new_entry', 'refusal'] as const).map((k) => ({
              value: k,
              label: t(`dm.answer.${k}`),
            }))}
          />
        </Form.Item>
        {kind === 'refusal' ? (
          <Form.Item
            name="reason"
            label={t('dm.reason')}
            rules={[
              { required: true, whitespace: true, message: t('common.required', { field: t('dm.reason') }) },
            ]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        ) : (
          <>
            <Form.Item
              name="resourceCode"
              label={t('dm.resourceCode')}
              rules={[
                {
                  required: true,
                  whitespace: true,
                  message: t('common.required', { field: t('dm.resourceCode') }),
                },
              ]}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="note" label={t('dm.note')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </>
        )}
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={answer.isPending}>
            {t('dm.submit')}
          </Button>
          <Button onClick={() => setDeclining(!declining)}>{t('dm.decline')}</Button>
        </Space>
      </Form>
      {declining && (
        <Form
          name="decline"
          layout="vertical"
          style={{ marginTop: 16 }}
          onFinish={(v: { reason: string }) => decline.mutate(() => demandsApi.decline(demand.id, v.reason))}
        >
          <Form.Item
            name="reason"
            label={t('dm.declineReason')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('common.required', { field: t('dm.declineReason') }),
              },
            ]}
          >
            <Input.TextArea rows={2} maxLength={2000} />
          </Form.Item>
          <Button danger htmlType="submit" loading={decline.isPending}>
            {t('dm.decline')}
          </Button>
        </Form>
      )}
    </Card>
  );
}

/** The actions the caller may take on a demand in its current status (the API decides again). */
export function DemandActions({ demand }: { demand: DemandView }) {
  const { t } = useI18n();
  const { me, hasRole } = useSession();
  const withdraw = useDemandChange(t('dm.withdrawn'));
  const orgId = me?.organization.id;
  const open = ['submitted', 'returned', 'assigned', 'awaiting_publication'].includes(demand.status);
  const canAssign = hasRole('platform_admin') && ['submitted', 'returned'].includes(demand.status);
  const canAnswer =
    demand.status === 'assigned' &&
    demand.assignedOrganization?.id === orgId &&
    hasRole('data_steward', 'org_admin');
  const canWithdraw =
    open && demand.requester.id === orgId && hasRole('analyst', 'data_steward', 'org_admin');
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      {canAssign && <AssignCard demand={demand} />}
      {canAnswer && <AnswerCard demand={demand} />}
      {canWithdraw && (
        <Popconfirm
          title={t('dm.withdrawConfirm')}
          onConfirm={() => withdraw.mutate(() => demandsApi.withdraw(demand.id))}
        >
          <Button loading={withdraw.isPending}>{t('dm.withdraw')}</Button>
        </Popconfirm>
      )}
    </div>
  );
}
