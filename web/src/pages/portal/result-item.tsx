import { Tag } from 'antd';
import { Link } from 'react-router-dom';
import type { ResourceView } from '../../api/catalog.js';
import { GradeTag, OpenTag, SharingTag } from '../../components/catalog/vocab.js';
import { useI18n } from '../../i18n/index.js';

/** One search hit: name, provider, abstract, the sharing/open/grade tags and dates. */
export function ResultItem({ resource: r }: { resource: ResourceView }) {
  const { t } = useI18n();
  return (
    <article className="ht-result">
      <h2>
        <Link to={`/portal/resources/${r.code}`}>{r.name}</Link>
      </h2>
      <div>
        <SharingTag t={t} value={r.sharingType} />
        <OpenTag t={t} value={r.openType} />
        <GradeTag t={t} value={r.grade} />
        <Tag>{r.format}</Tag>
        <Tag>{t(`cycle.${r.updateCycle}`)}</Tag>
      </div>
      <p>{r.summary.length > 160 ? `${r.summary.slice(0, 160)}…` : r.summary}</p>
      <div className="ht-result-meta">
        <span>
          {t('res.provider')}: <Link to={`/portal/organizations/${r.provider.id}`}>{r.provider.name}</Link>
        </span>
        <span>
          {t('res.code')}: <code>{r.code}</code>
        </span>
        <span>
          {t('res.items')}: {r.items.length}
        </span>
        {r.publishDate && (
          <span>
            {t('res.publishDate')}: {r.publishDate}
          </span>
        )}
      </div>
    </article>
  );
}
