import { Descriptions, Tag } from 'antd';
import { Link } from 'react-router-dom';
import type { ResourceView } from '../../api/catalog.js';
import { GradeTag, OpenTag, SharingTag } from '../../components/catalog/vocab.js';
import { formatTime } from '../../components/format.js';
import { useI18n } from '../../i18n/index.js';

/**
 * The catalog fields of a resource, in the order of the national catalog guide. An entry another
 * node reported (`remote`) links to nothing: its organisation and related codes are that node's.
 */
export function ResourceMetadata({
  resource: r,
  remote = false,
}: {
  resource: ResourceView;
  remote?: boolean;
}) {
  const { t, lang } = useI18n();
  const dash = (text: string) => text || '—';
  return (
    <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} styles={{ label: { width: 140 } }}>
      <Descriptions.Item label={t('res.name')} span={2}>
        {r.name}
      </Descriptions.Item>
      <Descriptions.Item label={t('res.code')}>
        <code>{r.code}</code>
      </Descriptions.Item>
      <Descriptions.Item label={t('res.provider')}>
        {remote ? (
          r.provider.name
        ) : (
          <Link to={`/portal/organizations/${r.provider.id}`}>{r.provider.name}</Link>
        )}
      </Descriptions.Item>
      <Descriptions.Item
        label={t('res.classification')}
      >{`${r.classification.name} (${r.classification.code})`}</Descriptions.Item>
      <Descriptions.Item label={t('res.format')}>{r.format}</Descriptions.Item>
      <Descriptions.Item label={t('res.summary')} span={2}>
        {r.summary}
      </Descriptions.Item>
      <Descriptions.Item label={t('res.sharingType')}>
        <SharingTag t={t} value={r.sharingType} />
      </Descriptions.Item>
      <Descriptions.Item label={t('res.sharingMethods')}>
        {r.sharingMethods.length ? r.sharingMethods.map((m) => <Tag key={m}>{t(`method.${m}`)}</Tag>) : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('res.sharingConditions')} span={2}>
        {dash(r.sharingConditions)}
      </Descriptions.Item>
      {r.sharingType === 'not_shared' && (
        <Descriptions.Item label={t('res.legalBasis')} span={2}>
          {dash(r.legalBasis)}
        </Descriptions.Item>
      )}
      <Descriptions.Item label={t('res.openType')}>
        <OpenTag t={t} value={r.openType} />
      </Descriptions.Item>
      <Descriptions.Item label={t('res.openConditions')}>{dash(r.openConditions)}</Descriptions.Item>
      <Descriptions.Item label={t('res.updateCycle')}>{t(`cycle.${r.updateCycle}`)}</Descriptions.Item>
      <Descriptions.Item label={t('res.grade')}>
        <GradeTag t={t} value={r.grade} />
        {r.gradeLevel ? `${t('res.gradeLevel')} ${r.gradeLevel}` : ''}
      </Descriptions.Item>
      <Descriptions.Item label={t('res.publishDate')}>{r.publishDate ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('res.updatedAt')}>{formatTime(r.updatedAt, lang)}</Descriptions.Item>
      <Descriptions.Item label={t('res.licence')}>{dash(r.licence)}</Descriptions.Item>
      <Descriptions.Item label={t('res.version')}>{r.version}</Descriptions.Item>
      <Descriptions.Item label={t('res.tags')}>
        {r.tags.length ? r.tags.map((x) => <Tag key={x}>{x}</Tag>) : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('res.keywords')}>{r.keywords.join('、') || '—'}</Descriptions.Item>
      <Descriptions.Item label={t('res.contact')} span={2}>
        {[r.contact.name, r.contact.phone, r.contact.email].filter(Boolean).join(' · ') || '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('res.relatedCodes')} span={2}>
        {r.relatedCodes.length
          ? r.relatedCodes.map((c) =>
              remote ? (
                <code key={c} style={{ marginInlineEnd: 12 }}>
                  {c}
                </code>
              ) : (
                <Link key={c} to={`/portal/resources/${c}`} style={{ marginInlineEnd: 12 }}>
                  {c}
                </Link>
              ),
            )
          : '—'}
      </Descriptions.Item>
    </Descriptions>
  );
}
