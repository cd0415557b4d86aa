import { Checkbox, Select, Table, Tag } from 'antd';
import type { ItemView } from '../../../api/catalog.js';
import { type MaskKind, SIMPLE_MASKS } from '../../../api/sharing.js';
import { useI18n } from '../../../i18n/index.js';

export interface ItemChoice {
  name: string;
  granted: boolean;
  /** undefined: the item's default mask (masked when personal). */
  mask?: MaskKind;
}

/** The requested items: tick those granted and choose a mask for each. */
export function ItemsMasks({
  value,
  onChange,
  items,
  defaults = {},
}: {
  value: ItemChoice[];
  onChange: (next: ItemChoice[]) => void;
  items: ItemView[];
  /** Per item, the earlier step's mask in words, which "default" keeps. */
  defaults?: Record<string, string>;
}) {
  const { t } = useI18n();
  const set = (name: string, change: Partial<ItemChoice>) =>
    onChange(value.map((c) => (c.name === name ? { ...c, ...change } : c)));
  return (
    <Table<ItemChoice>
      size="small"
      rowKey="name"
      pagination={false}
      dataSource={value}
      columns={[
        {
          title: t('rev.grant'),
          key: 'g',
          width: 70,
          render: (_, c) => (
            <Checkbox
              checked={c.granted}
              aria-label={`${t('rev.grant')} ${c.name}`}
              onChange={(e) => set(c.name, { granted: e.target.checked })}
            />
          ),
        },
        {
          title: t('item.name'),
          key: 'n',
          render: (_, c) => {
            const item = items.find((i) => i.name === c.name);
            return (
              <span>
                {c.name}
                {item?.personal && (
                  <Tag color="orange" style={{ marginLeft: 6 }}>
                    {t('apply.personal')}
                  </Tag>
                )}
              </span>
            );
          },
        },
        {
          title: t('rev.mask'),
          key: 'm',
          render: (_, c) => (
            <Select<MaskKind | 'default'>
              aria-label={`${t('rev.mask')} ${c.name}`}
              disabled={!c.granted}
              style={{ width: 230 }}
              value={c.mask ?? 'default'}
              onChange={(m) => set(c.name, { mask: m === 'default' ? undefined : m })}
              options={[
                {
                  value: 'default',
                  label: defaults[c.name]
                    ? t('rev.maskKept', { mask: defaults[c.name]! })
                    : t('rev.maskDefault'),
                },
                ...SIMPLE_MASKS.map((k) => ({ value: k, label: t(`mask.${k}`) })),
              ]}
            />
          ),
        },
      ]}
    />
  );
}
