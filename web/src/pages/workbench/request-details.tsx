import { Descriptions, Steps, Tag } from 'antd';
import { Link } from 'react-router-dom';
import type { AccessRequestView } from '../../api/sharing.js';
import { formatDate, formatTime } from '../../components/format.js';
import { DeadlineTag } from '../../components/sharing/deadline-tag.js';
import { useI18n } from '../../i18n/index.js';

/** A request in full: what was asked, for what, and each review step with who and when. */
export function RequestDetails({ request: r }: { request: AccessRequestView }) {
  const { t, lang } = useI18n();
  const current = r.steps.findIndex((s) => s.status === 'pending');
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      <Descriptions
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          { key: 'p', label: t('apply.purpose'), children: r.purpose },
          { key: 'd', label: t('req.deadline'), children: <DeadlineTag clock={r.deadline} /> },
          { key: 'l', label: t('apply.legalBasis'), children: r.legalBasis },
          { key: 'u', label: t('apply.use'), children: t(`apply.use.${r.use}`) },
          {
            key: 'v',
            label: t('req.period'),
            children: `${formatDate(r.validFrom, lang)} – ${formatDate(r.validUntil, lang)}`,
          },
          {
            key: 'i',
            label: t('req.items'),
            span: 2,
            children: r.items.map((i) => <Tag key={i}>{i}</Tag>),
          },
          // What the reviewers have agreed so far of differential privacy (sandbox noise, ε budget).
          ...(r.terms?.sandboxNoise
            ? [
                {
                  key: 'n',
                  label: t('req.noise'),
                  children: t('req.noiseValue', { epsilon: r.terms.sandboxNoise.epsilon }),
                },
              ]
            : []),
          ...(r.terms?.privacyBudget
            ? [
                {
                  key: 'b',
                  label: t('req.budget'),
                  children: t('req.budgetValue', {
                    perDay: r.terms.privacyBudget.epsilonPerDay,
                    total: r.terms.privacyBudget.epsilonTotal,
                  }),
                },
              ]
            : []),
          ...(r.rejection
            ? [
                {
                  key: 'r',
                  label: t('req.rejection'),
                  span: 2,
                  children: `${r.rejection.label}：${r.rejection.text}`,
                },
              ]
            : []),
          ...(r.grantId
            ? [
                {
                  key: 'g',
                  label: t('req.grant'),
                  children: <Link to="/workbench/grants">{r.grantId.slice(0, 8)}</Link>,
                },
              ]
            : []),
        ]}
      />
      <Steps
        size="small"
        current={current < 0 ? r.steps.length : current}
        aria-label={t('req.steps')}
        items={r.steps.map((s) => ({
          title: t(`reviewer.${s.role}`),
          status:
            s.status === 'approved'
              ? 'finish'
              : s.status === 'rejected'
                ? 'error'
                : s.status === 'pending'
                  ? 'process'
                  : 'wait',
          content: [t(`req.step.${s.status}`), formatTime(s.actedAt ?? s.startedAt, lang), s.comment]
            .filter(Boolean)
            .join(' · '),
        }))}
      />
    </div>
  );
}
