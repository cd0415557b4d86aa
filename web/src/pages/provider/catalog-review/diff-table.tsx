import { Table, Tag, Typography } from 'antd';
import type { DiffEntry } from '../../../api/catalog-review.js';
import type { MessageKey, Translate } from '../../../i18n/index.js';

// The field's label (the resource form's), and its closed vocabulary's message prefix.
const LABEL: Record<string, MessageKey> = {
  classificationCode: 'res.classification' as MessageKey,
};
const VOCAB: Record<string, string> = {
  sharingType: 'share',
  openType: 'open',
  grade: 'grade',
  updateCycle: 'cycle',
  sharingMethods: 'method',
};

interface Item {
  name: string;
  personal?: boolean;
  [key: string]: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Items side by side: on the proposed side, each new or changed item is marked; on the published side, each removed one. */
function ItemsValue({
  t,
  items,
  other,
  side,
}: {
  t: Translate;
  items: Item[];
  other: Item[] | null;
  side: 'before' | 'after';
}) {
  const byName = new Map((other ?? []).map((i) => [i.name, i]));
  return (
    <ul className="ht-diff-items" style={{ margin: 0, paddingInlineStart: 18 }}>
      {items.map((item) => {
        const match = byName.get(item.name);
        const mark =
          other === null
            ? null
            : !match
              ? side === 'after'
                ? 'added'
                : 'removed'
              : same(match, item)
                ? null
                : 'changed';
        return (
          <li key={item.name}>
            <span style={mark === 'removed' ? { textDecoration: 'line-through' } : undefined}>
              {item.name}
            </span>
            {item.personal ? <Tag style={{ marginInlineStart: 4 }}>{t('cr.diff.personal')}</Tag> : null}
            {mark ? (
              <Tag
                color={mark === 'added' ? 'green' : mark === 'removed' ? 'red' : 'gold'}
                style={{ marginInlineStart: 4 }}
              >
                {t(`cr.diff.${mark}`)}
              </Tag>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** One side of a field, in words: vocabularies translated, lists joined, empty shown as such. */
function Value({ t, entry, side }: { t: Translate; entry: DiffEntry; side: 'before' | 'after' }) {
  const value = entry[side];
  const other = side === 'after' ? entry.before : entry.after;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0))
    return <Typography.Text type="secondary">{t('cr.none')}</Typography.Text>;
  if (entry.field === 'items')
    return <ItemsValue t={t} items={value as Item[]} other={(other as Item[] | null) ?? null} side={side} />;
  const prefix = VOCAB[entry.field];
  if (prefix) {
    const codes = Array.isArray(value) ? value : [value];
    return (
      <>
        {codes.map((c) => (
          <Tag key={String(c)}>{t(`${prefix}.${c}` as MessageKey)}</Tag>
        ))}
      </>
    );
  }
  if (entry.field === 'contact') {
    const c = value as { name: string; phone: string; email: string };
    return <span>{[c.name, c.phone, c.email].filter(Boolean).join(' · ')}</span>;
  }
  if (Array.isArray(value)) return <span>{value.join('、')}</span>;
  return <span style={{ whiteSpace: 'pre-wrap' }}>{String(value)}</span>;
}

/** The change field by field: the published value beside the proposed one. */
export function DiffTable({
  t,
  diff,
  publication,
}: {
  t: Translate;
  diff: DiffEntry[];
  publication: boolean;
}) {
  return (
    <Table<DiffEntry>
      rowKey="field"
      size="small"
      pagination={false}
      dataSource={diff}
      data-testid="catalog-change-diff"
      aria-label={t('cr.diff')}
      columns={[
        {
          title: t('cr.field'),
          key: 'field',
          width: 140,
          render: (_, e) => t(LABEL[e.field] ?? (`res.${e.field}` as MessageKey)),
        },
        ...(publication
          ? []
          : [
              {
                title: t('cr.before'),
                key: 'before',
                render: (_: unknown, e: DiffEntry) => <Value t={t} entry={e} side="before" />,
              },
            ]),
        { title: t('cr.after'), key: 'after', render: (_, e) => <Value t={t} entry={e} side="after" /> },
      ]}
    />
  );
}
