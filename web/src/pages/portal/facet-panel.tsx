import { Badge, Card, Checkbox, Space } from 'antd';
import type { Bucket, Facet } from '../../api/catalog.js';
import { bucketLabel } from '../../components/catalog/vocab.js';
import { useI18n } from '../../i18n/index.js';

// 节点 first: on a node of a federation, whose catalog an entry is in comes before its terms.
const SHOWN: Facet[] = [
  'node',
  'sharingType',
  'openType',
  'grade',
  'provider',
  'classification',
  'region',
  'updateCycle',
  'format',
  'tag',
];

/** The search's facets: counts per value; ticking one filters on it (one value per facet). */
export function FacetPanel({
  facets,
  selected,
  onToggle,
}: {
  facets: Partial<Record<Facet, Bucket[]>>;
  selected: Partial<Record<Facet, string>>;
  onToggle: (facet: Facet, value: string | undefined) => void;
}) {
  const { t } = useI18n();
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={12}>
      {SHOWN.filter((f) => (facets[f]?.length ?? 0) > 0 || selected[f]).map((facet) => (
        <Card key={facet} size="small" title={<h2 className="ht-facet-title">{t(`facet.${facet}`)}</h2>}>
          <ul className="ht-facet-list" aria-label={t(`facet.${facet}`)}>
            {(facets[facet] ?? []).slice(0, 12).map((bucket) => {
              const checked = selected[facet] === bucket.value;
              return (
                <li key={bucket.value}>
                  <Checkbox
                    checked={checked}
                    onChange={() => onToggle(facet, checked ? undefined : bucket.value)}
                  >
                    {bucketLabel(t, facet, bucket)}
                  </Checkbox>
                  <Badge
                    count={bucket.count}
                    showZero
                    color="#e6edf7"
                    style={{ color: '#1f2d3d' }}
                    overflowCount={9999}
                  />
                </li>
              );
            })}
          </ul>
        </Card>
      ))}
    </Space>
  );
}
