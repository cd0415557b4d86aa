import { Tag } from 'antd';
import type {
  AccessRequestStatus,
  AccessRequestView,
  GrantView,
  ItemFilter,
  MaskSpec,
} from '../../api/sharing.js';
import type { Translate } from '../../i18n/index.js';

const STATUS_COLOR: Record<AccessRequestStatus, string> = {
  pending: 'processing',
  approved: 'success',
  partially_approved: 'cyan',
  rejected: 'error',
  withdrawn: 'default',
};

export function RequestStatusTag({ t, status }: { t: Translate; status: AccessRequestStatus }) {
  return <Tag color={STATUS_COLOR[status]}>{t(`status.${status}`)}</Tag>;
}

const GRANT_COLOR: Record<GrantView['status'], string> = {
  active: 'success',
  suspended: 'warning',
  revoked: 'error',
  expired: 'default',
};

export function GrantStatusTag({ t, status }: { t: Translate; status: GrantView['status'] }) {
  return <Tag color={GRANT_COLOR[status]}>{t(`grants.status.${status}`)}</Tag>;
}

/** A mask in words: its kind, and its parameter when it has one. */
export function maskLabel(t: Translate, mask: MaskSpec): string {
  const base = t(`mask.${mask.kind}`);
  if (mask.kind === 'first' || mask.kind === 'last') return `${base} (${mask.n})`;
  if (mask.kind === 'keep') return `${base} (${mask.first}/${mask.last})`;
  if (mask.kind === 'age-band') return `${base} (${mask.width})`;
  if (mask.kind === 'region') return `${base} (${mask.level})`;
  if (mask.kind === 'year' && mask.width) return `${base} (${mask.width})`;
  return base;
}

/** A row condition in words: `区划代码 = 350100`, `年龄 in 18…60`. */
export function filterLabel(f: ItemFilter): string {
  switch (f.op) {
    case 'eq':
      return `${f.item} = ${f.value}`;
    case 'in':
      return `${f.item} ∈ {${f.values.join(', ')}}`;
    case 'range':
      return `${f.item} ∈ [${f.min ?? '−∞'}, ${f.max ?? '+∞'}${f.maxInclusive === false ? ')' : ']'}`;
    case 'like':
      return `${f.item} LIKE ${f.pattern}`;
    case 'is_null':
      return `${f.item} ${f.value === false ? 'IS NOT NULL' : 'IS NULL'}`;
  }
}

/** How long ago an instant was, in the UI's words. */
export function ago(t: Translate, iso: string): string {
  const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return t('ago.minutes', { n: minutes });
  if (minutes < 60 * 24) return t('ago.hours', { n: Math.round(minutes / 60) });
  return t('ago.days', { n: Math.round(minutes / 1440) });
}

/** "Who acts next and since when" of a request, or that it is decided. */
export function nextActionText(t: Translate, r: AccessRequestView, time: (iso: string) => string): string {
  if (!r.nextAction) return t('req.decided');
  return t('req.nextAt', {
    role: t(`reviewer.${r.nextAction.role}`),
    since: time(r.nextAction.since),
    ago: ago(t, r.nextAction.since),
  });
}
