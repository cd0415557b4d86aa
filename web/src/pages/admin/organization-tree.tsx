import { Card, Tree } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useMemo } from 'react';
import type { OrganizationLevel, OrganizationView } from '../../api/identity.js';
import { provinceName } from '../../components/provinces.js';
import { useI18n } from '../../i18n/index.js';

const LEVELS: OrganizationLevel[] = ['national', 'provincial', 'municipal', 'county'];

/** Tree keys: "all", "level:provincial", "region:provincial:35", "org:<id>". */
export type TreeKey = string;

/** Organisations grouped by level, then by province; selecting a node filters the list. */
export function OrganizationTree({
  organizations,
  selected,
  onSelect,
}: {
  organizations: OrganizationView[];
  selected: TreeKey;
  onSelect: (key: TreeKey) => void;
}) {
  const { t, lang } = useI18n();
  const treeData = useMemo<DataNode[]>(() => {
    const levels = LEVELS.map((level) => {
      const ofLevel = organizations.filter((o) => o.level === level);
      const provinces = [...new Set(ofLevel.map((o) => o.regionCode.slice(0, 2)))].sort();
      return {
        key: `level:${level}`,
        title: `${t(`level.${level}`)} (${ofLevel.length})`,
        children: provinces.map((p) => {
          const inRegion = ofLevel.filter((o) => o.regionCode.startsWith(p));
          return {
            key: `region:${level}:${p}`,
            title: `${provinceName(p, lang) ?? p} (${inRegion.length})`,
            children: inRegion.map((o) => ({ key: `org:${o.id}`, title: o.name, isLeaf: true })),
          };
        }),
      };
    }).filter((n) => n.children.length > 0);
    return [{ key: 'all', title: `${t('org.treeAll')} (${organizations.length})`, children: levels }];
  }, [organizations, t, lang]);

  return (
    <Card size="small" title={t('org.tree')}>
      <Tree
        // Remounted when the list changes, so that it opens fully on the data as loaded.
        key={organizations.length}
        treeData={treeData}
        selectedKeys={[selected]}
        defaultExpandAll
        onSelect={(keys) => keys[0] && onSelect(String(keys[0]))}
        aria-label={t('org.tree')}
      />
    </Card>
  );
}

/** Whether an organisation falls under a tree node. */
export function inNode(o: OrganizationView, key: TreeKey): boolean {
  if (key === 'all') return true;
  const [type, a, b] = key.split(':');
  if (type === 'level') return o.level === a;
  if (type === 'region') return o.level === a && o.regionCode.startsWith(b ?? '');
  if (type === 'org') return o.id === a || o.parentId === a;
  return true;
}
