import { useQuery } from '@tanstack/react-query';
import { Descriptions, Drawer, Tag, Timeline, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { type DemandView, demandsApi } from '../../../api/demands.js';
import { ErrorAlert } from '../../../components/error-result.js';
import { formatTime } from '../../../components/format.js';
import { DeadlineTag } from '../../../components/sharing/deadline-tag.js';
import { useI18n } from '../../../i18n/index.js';
import { DemandActions } from './demand-actions.js';
import { DemandStatusTag } from './demand-status.js';

/** What a demand asks and how it was answered. */
function DemandFacts({ demand: d }: { demand: DemandView }) {
  const { t, lang } = useI18n();
  const time = (iso: string | null) => formatTime(iso, lang) ?? '—';
  const answer = d.answer;
  return (
    <Descriptions
      bordered
      size="small"
      column={1}
      items={[
        { key: 's', label: t('common.status'), children: <DemandStatusTag status={d.status} /> },
        { key: 't', label: t('req.deadline'), children: <DeadlineTag clock={d.deadline} /> },
        { key: 'r', label: t('dm.requester'), children: d.requester.name },
        { key: 'd', label: t('dm.description'), children: d.description },
        { key: 'p', label: t('dm.purpose'), children: d.purpose },
        { key: 'l', label: t('dm.legalBasis'), children: d.legalBasis },
        {
          key: 'i',
          label: t('dm.items'),
          children: d.items.map((i) => (
            <Tag key={i.name} title={i.description || undefined}>
              {i.name}
            </Tag>
          )),
        },
        ...(d.suggestedOrganization
          ? [{ key: 'g', label: t('dm.suggested'), children: d.suggestedOrganization.name }]
          : []),
        { key: 'a', label: t('dm.assigned'), children: d.assignedOrganization?.name ?? '—' },
        { key: 'c', label: t('dm.created'), children: time(d.createdAt) },
        ...(answer
          ? [
              {
                key: 'w',
                label: t('dm.answer'),
                children: (
                  <span data-testid="demand-answer">
                    {t(`dm.answer.${answer.kind}`)}
                    {answer.resource && (
                      <>
                        {'：'}
                        <Link to={`/portal/resources/${answer.resource.code}`}>{answer.resource.name}</Link>{' '}
                        <Typography.Text code>{answer.resource.code}</Typography.Text>
                      </>
                    )}
                    {answer.text && <div>{answer.text}</div>}
                  </span>
                ),
              },
              { key: 'at', label: t('dm.answeredAt'), children: time(d.answeredAt) },
            ]
          : []),
        ...(d.closedAt ? [{ key: 'z', label: t('dm.closedAt'), children: time(d.closedAt) }] : []),
      ]}
    />
  );
}

/** 办理记录: each step, who took it, when, and why. */
function DemandHistory({ demand: d }: { demand: DemandView }) {
  const { t, lang } = useI18n();
  return (
    <Timeline
      aria-label={t('dm.history')}
      items={d.history.map((e) => ({
        content: (
          <>
            <div>{t(`dm.event.${e.kind}`, { org: e.organization?.name ?? '' })}</div>
            <Typography.Text type="secondary">
              {[formatTime(e.at, lang), e.actor === 'system' ? t('dm.system') : e.actor].join(' · ')}
            </Typography.Text>
            {e.text && <div>{e.text}</div>}
          </>
        ),
      }))}
    />
  );
}

/** A demand in full, with its history and the caller's actions on it. */
export function DemandDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useI18n();
  const demand = useQuery({ queryKey: ['demands', 'one', id], queryFn: () => demandsApi.get(id) });
  return (
    <Drawer open size="large" title={demand.data?.title ?? t('dm.details')} onClose={onClose} destroyOnHidden>
      {demand.error && <ErrorAlert error={demand.error} onRetry={() => demand.refetch()} />}
      {demand.data && (
        <div style={{ display: 'grid', gap: 16 }}>
          <DemandFacts demand={demand.data} />
          <DemandActions demand={demand.data} />
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
            {t('dm.history')}
          </Typography.Title>
          <DemandHistory demand={demand.data} />
        </div>
      )}
    </Drawer>
  );
}
