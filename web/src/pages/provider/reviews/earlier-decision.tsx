import { Alert } from 'antd';
import type { AccessRequestView } from '../../../api/sharing.js';
import { formatDate, formatNumber } from '../../../components/format.js';
import { filterLabel, maskLabel } from '../../../components/sharing/labels.js';
import { useI18n } from '../../../i18n/index.js';

/**
 * What the earlier approval steps decided and how it differs from the request: the next reviewer
 * starts from it (the form is filled with it), so it is shown before the form.
 */
export function EarlierDecision({ request: r }: { request: AccessRequestView }) {
  const { t, lang } = useI18n();
  const terms = r.terms;
  const step = [...r.steps].reverse().find((s) => s.status === 'approved');
  if (!terms || !step) return null;
  const kept = new Set(terms.items.map((i) => i.name));
  const dropped = r.items.filter((n) => !kept.has(n));
  const changes: string[] = [];
  if (dropped.length) changes.push(t('rev.change.dropped', { items: dropped.join('、') }));
  for (const item of terms.items) {
    if (item.mask.kind !== 'none')
      changes.push(t('rev.change.masked', { item: item.name, mask: maskLabel(t, item.mask) }));
  }
  if (terms.rowFilter.length) {
    changes.push(t('rev.change.filter', { filter: terms.rowFilter.map(filterLabel).join(' AND ') }));
  }
  if (terms.validUntil < r.validUntil) {
    changes.push(t('rev.change.period', { date: formatDate(terms.validUntil, lang) ?? '' }));
  }
  if (
    terms.quota &&
    (terms.quota.callsPerDay !== r.expectedCallsPerDay || terms.quota.rowsPerDay !== r.expectedRowsPerDay)
  ) {
    changes.push(
      t('rev.change.quota', {
        calls: formatNumber(terms.quota.callsPerDay, lang),
        rows: formatNumber(terms.quota.rowsPerDay, lang),
      }),
    );
  }
  if (terms.allowedIps.length) changes.push(t('rev.change.ips', { ips: terms.allowedIps.join('、') }));
  if (terms.mayExport) changes.push(t('rev.change.export'));
  return (
    <Alert
      type="info"
      showIcon
      style={{ margin: '12px 0' }}
      data-testid="earlier-decision"
      title={t('rev.earlier', { role: t(`role.${step.role}`), name: step.actorName ?? '' })}
      description={
        <div>
          {step.comment && <p style={{ margin: '0 0 4px' }}>{`${t('rev.comment')}：${step.comment}`}</p>}
          <strong>{t('rev.earlierChanges')}</strong>
          {changes.length ? (
            <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
              {changes.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          ) : (
            <p style={{ margin: 0 }}>{t('rev.noChanges')}</p>
          )}
        </div>
      }
    />
  );
}
