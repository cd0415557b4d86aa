import { Tag } from 'antd';
import type { Bucket, Facet, Grade, OpenType, SharingType } from '../../api/catalog.js';
import type { MessageKey, Translate } from '../../i18n/index.js';

// Vocabulary codes → message keys: the server sends codes; labels follow the UI language.
const PREFIX: Partial<Record<Facet, string>> = {
  sharingType: 'share',
  openType: 'open',
  grade: 'grade',
  updateCycle: 'cycle',
  level: 'level',
};

/** The label of a facet bucket: translated for closed vocabularies, as the server names it otherwise. */
export function bucketLabel(t: Translate, facet: Facet, bucket: Bucket): string {
  const prefix = PREFIX[facet];
  return prefix ? t(`${prefix}.${bucket.value}` as MessageKey) : bucket.label || bucket.value;
}

const SHARE_COLOR: Record<SharingType, string> = {
  unconditional: 'green',
  conditional: 'gold',
  not_shared: 'default',
};
const OPEN_COLOR: Record<OpenType, string> = {
  unconditional: 'cyan',
  conditional: 'blue',
  not_open: 'default',
};
const GRADE_COLOR: Record<Grade, string> = { core: 'red', important: 'orange', general: 'default' };

export function SharingTag({ t, value }: { t: Translate; value: SharingType }) {
  return <Tag color={SHARE_COLOR[value]}>{t(`share.${value}`)}</Tag>;
}
export function OpenTag({ t, value }: { t: Translate; value: OpenType }) {
  return <Tag color={OPEN_COLOR[value]}>{t(`open.${value}`)}</Tag>;
}
export function GradeTag({ t, value }: { t: Translate; value: Grade }) {
  return <Tag color={GRADE_COLOR[value]}>{t(`grade.${value}`)}</Tag>;
}
