import { Tag } from 'antd';
import { Link } from 'react-router-dom';
import type { SearchItem } from '../../api/catalog.js';
import { GradeTag, OpenTag, SharingTag } from '../../components/catalog/vocab.js';
import { useI18n } from '../../i18n/index.js';

/**
 * The page of a search hit. An entry another node reported is not in GET /resources/{code} (its
 * code may even name a different local resource): its page names the node, read from the search.
 */
export function resourcePath(r: Pick<SearchItem, 'code' | 'node'>): string {
  const path = `/portal/resources/${encodeURIComponent(r.code)}`;
  return r.node && !r.node.local ? `${path}?node=${encodeURIComponent(r.node.nodeId)}` : path;
}

/** The node an entry belongs to, beside its provider (federated searches only). */
export function NodeTag({ node }: { node: NonNullable<SearchItem['node']> }) {
  const { t } = useI18n();
  return (
    <Tag color="purple" data-testid="result-node" title={`${t('facet.node')}: ${node.name}`}>
      {node.name}
    </Tag>
  );
}

/** One search hit: name, provider (and node), abstract, the sharing/open/grade tags and dates. */
export function ResultItem({ resource: r }: { resource: SearchItem }) {
  const { t } = useI18n();
  return (
    <article className="ht-result" data-testid="search-result">
      <h2>
        <Link to={resourcePath(r)}>{r.name}</Link>
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
          {t('res.provider')}:{' '}
          {r.node && !r.node.local ? (
            // Another node's organisation has no page here.
            r.provider.name
          ) : (
            <Link to={`/portal/organizations/${r.provider.id}`}>{r.provider.name}</Link>
          )}
          {r.node && (
            <>
              {' '}
              <NodeTag node={r.node} />
            </>
          )}
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
