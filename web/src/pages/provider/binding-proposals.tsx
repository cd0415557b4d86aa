import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Table, Tag, Typography } from 'antd';
import { catalogApi, type ResourceView } from '../../api/catalog.js';
import { isPendingChange } from '../../api/catalog-review.js';
import type { BindingView } from '../../api/sources.js';
import { GradeTag } from '../../components/catalog/vocab.js';
import { errorMessage } from '../../components/error-result.js';
import { piiKindName } from '../../components/type-names.js';
import { useI18n } from '../../i18n/index.js';

type Proposal = BindingView['proposals'][number];
type Item = ResourceView['items'][number];
type Grade = ResourceView['grade'];

// The scan's identifier kinds (privacy/kinds.ts) in the catalog's GB/T 35273 categories.
const CATALOG_KIND: Record<string, NonNullable<Item['personalKind']>> = {
  'id-number': 'identity_document',
  passport: 'identity_document',
  'bank-card': 'bank_account',
  mobile: 'basic',
  landline: 'basic',
  email: 'basic',
  name: 'basic',
  address: 'basic',
  'birth-date': 'basic',
  plate: 'other',
  ipv4: 'other',
  ipv6: 'other',
};
const GRADES = new Set(['core', 'important', 'general']);

/** The privacy scan's proposed kind and grade per item, to confirm into the catalog entry. */
export function BindingProposals({
  resource: r,
  proposals,
}: {
  resource: ResourceView;
  proposals: Proposal[];
}) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const byItem = new Map(proposals.map((p) => [p.item, p]));
  const confirm = useMutation({
    mutationFn: () =>
      catalogApi.updateResource(r.code, {
        items: r.items.map((i) => {
          const p = byItem.get(i.name);
          const kind = p?.kind ? CATALOG_KIND[p.kind] : undefined;
          const { field, length, ...rest } = i;
          return {
            ...rest,
            ...(field ? { field } : {}),
            ...(length ? { length } : {}),
            personal: kind ? true : i.personal,
            personalKind: kind ?? i.personalKind,
            grade: p && GRADES.has(p.grade) ? (p.grade as Grade) : i.grade,
          };
        }),
      }),
    onSuccess: (answer) => {
      message.success(t(isPendingChange(answer) ? 'cr.submitted' : 'bind.confirmed'));
      client.invalidateQueries({ queryKey: ['own-resources'] });
      client.invalidateQueries({ queryKey: ['own-catalog-changes'] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  return (
    <div>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {t('bind.proposals')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('bind.proposalsHelp')}</Typography.Paragraph>
      <Table<Proposal>
        size="small"
        rowKey="item"
        pagination={false}
        dataSource={proposals}
        columns={[
          { title: t('item.name'), dataIndex: 'item' },
          { title: t('bind.column'), dataIndex: 'column' },
          {
            title: t('bind.kind'),
            key: 'k',
            render: (_, p) =>
              p.kind ? (
                <Tag color={p.sensitive ? 'red' : 'orange'}>{piiKindName(t, p.kind)}</Tag>
              ) : (
                t('common.none')
              ),
          },
          {
            title: t('item.grade'),
            key: 'g',
            render: (_, p) => (GRADES.has(p.grade) ? <GradeTag t={t} value={p.grade as Grade} /> : p.grade),
          },
          { title: t('bind.confidence'), key: 'c', render: (_, p) => `${Math.round(p.confidence * 100)}%` },
          {
            title: t('bind.current'),
            key: 'cur',
            render: (_, p) => {
              const item = r.items.find((i) => i.name === p.item);
              return item?.personalKind ? t(`pk.${item.personalKind}` as 'pk.basic') : t('common.none');
            },
          },
        ]}
      />
      <Button
        style={{ marginTop: 12 }}
        onClick={() => confirm.mutate()}
        loading={confirm.isPending}
        data-testid="bind-confirm"
      >
        {t('bind.confirm')}
      </Button>
    </div>
  );
}
