import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Input, Pagination, Select, Space } from 'antd';
import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { catalogApi, type Facet, type SearchFilters } from '../../api/catalog.js';
import { CollapsibleFilters } from '../../components/collapsible-filters.js';
import { ErrorAlert } from '../../components/error-result.js';
import { useI18n } from '../../i18n/index.js';
import { FacetPanel } from './facet-panel.js';
import { ResultItem } from './result-item.js';

const FACETS: Facet[] = [
  'provider',
  'classification',
  'sharingType',
  'openType',
  'grade',
  'format',
  'updateCycle',
  'region',
  'level',
  'tag',
  'node',
];
const PAGE = 10;
type Sort = NonNullable<SearchFilters['sort']>;

/** The portal's search: Chinese full-text over the catalog, facets, sort and pages; state in the URL. */
export default function SearchPage({ shared = false }: { shared?: boolean }) {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const sort = (params.get('sort') as Sort | null) ?? 'relevance';
  const selected: Partial<Record<Facet, string>> = {};
  for (const f of FACETS) {
    const v = params.get(f);
    if (v) selected[f] = v;
  }
  const search = useQuery({
    queryKey: ['search', params.toString()],
    queryFn: () =>
      catalogApi.search({ q: q || undefined, ...selected, sort, limit: PAGE, offset: (page - 1) * PAGE }),
    placeholderData: (previous) => previous,
  });

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) v ? next.set(k, v) : next.delete(k);
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  };
  const data = search.data;
  // After a search, the focus moves to the results' heading (which says how many were found),
  // not back to the top of the document.
  const resultsHeading = useRef<HTMLHeadingElement>(null);
  const focusResults = useRef(false);
  useEffect(() => {
    if (focusResults.current && !search.isFetching && search.data) {
      focusResults.current = false;
      resultsHeading.current?.focus();
    }
  }, [search.isFetching, search.data]);

  return (
    <div>
      <section className={shared ? 'ht-hero ht-hero-compact' : 'ht-hero'}>
        <h1>{shared ? t('wb.catalog.title') : t('portal.hero')}</h1>
        <p>{shared ? t('wb.catalog.subtitle') : t('portal.heroSub')}</p>
        <Input.Search
          key={q}
          defaultValue={q}
          size="large"
          enterButton={t('action.search')}
          placeholder={t('portal.searchPlaceholder')}
          aria-label={t('portal.searchPlaceholder')}
          onSearch={(value) => {
            focusResults.current = true;
            update({ q: value.trim() || undefined });
          }}
          style={{ maxWidth: 720 }}
          data-testid="portal-search"
        />
      </section>
      {search.error && <ErrorAlert error={search.error} onRetry={() => search.refetch()} />}
      <div className="ht-search-grid">
        <aside aria-label={t('facet.provider')}>
          <CollapsibleFilters active={Object.keys(selected).length}>
            <FacetPanel
              facets={data?.facets ?? {}}
              selected={selected}
              onToggle={(f, v) => update({ [f]: v })}
            />
          </CollapsibleFilters>
        </aside>
        <Card>
          <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
            <h2
              className="ht-results-heading"
              ref={resultsHeading}
              tabIndex={-1}
              data-testid="results-heading"
            >
              <span role="status">{data ? t('portal.results', { n: data.count }) : t('common.loading')}</span>
            </h2>
            <Space>
              {Object.keys(selected).length > 0 && (
                <Button onClick={() => setParams(q ? { q } : {})}>{t('portal.clear')}</Button>
              )}
              <label htmlFor="portal-sort">{t('portal.sort')}</label>
              <Select<Sort>
                id="portal-sort"
                value={sort}
                style={{ width: 140 }}
                onChange={(v) => update({ sort: v === 'relevance' ? undefined : v })}
                options={(['relevance', 'published', 'updated', 'name'] as const).map((s) => ({
                  value: s,
                  label: t(`portal.sort.${s}`),
                }))}
              />
            </Space>
          </Space>
          {data && data.items.length === 0 && (
            <Empty description={t('portal.noResults')} style={{ margin: '48px 0' }} />
          )}
          {!shared && data?.membersOnly ? (
            <Alert
              type="info"
              showIcon
              data-testid="members-only-hint"
              style={{ margin: '12px 0' }}
              title={t('portal.membersOnly', { n: data.membersOnly })}
              action={
                <Link
                  to={`/login?next=${encodeURIComponent(`/workbench/catalog?q=${encodeURIComponent(q)}`)}`}
                >
                  {t('portal.signInToSee')}
                </Link>
              }
            />
          ) : null}
          {data?.items.map((r) => (
            // Two nodes' entries may share an id: the node is part of the key.
            <ResultItem key={r.node ? `${r.node.nodeId}/${r.id}` : r.id} resource={r} />
          ))}
          {data && data.count > PAGE && (
            <Pagination
              style={{ marginTop: 16, textAlign: 'right' }}
              current={page}
              pageSize={PAGE}
              total={data.count}
              showSizeChanger={false}
              onChange={(p) => update({ page: String(p) })}
            />
          )}
        </Card>
      </div>
    </div>
  );
}
