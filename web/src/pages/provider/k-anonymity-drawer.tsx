import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App as AntApp,
  Button,
  Descriptions,
  Drawer,
  Form,
  InputNumber,
  Select,
  Space,
  Table,
  Tag,
} from 'antd';
import { useEffect, useState } from 'react';
import type { ResourceView } from '../../api/catalog.js';
import { type KPreview, openReleaseApi } from '../../api/open-release.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { useI18n } from '../../i18n/index.js';

type Class = KPreview['live']['smallest'][number];
// Kinds and reasons come from the server's enums; each has its message in i18n/provider.ts.
type MessageKey = Parameters<ReturnType<typeof useI18n>['t']>[0];

/** The generalised values of a class, one tag per quasi-identifier. */
const classValues = (c: Class) =>
  Object.entries(c.values).map(([item, v]) => (
    <Tag key={item}>
      {item}：{v ?? '∅'}
    </Tag>
  ));

/**
 * The k-anonymity gate of a resource's open release (开放数据 k 匿名): its quasi-identifiers
 * (pre-ticked from the stored gate, else from the proposal among the released items) and k, saved
 * as they are — never with none while personal items go out — or previewed: the live k of the rows
 * released now with the smallest classes, and the least generalisation that reaches k, with a
 * button that applies it.
 */
export function KAnonymityDrawer({ resource: r, onClose }: { resource: ResourceView; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const release = useQuery({ queryKey: ['open-release', r.code], queryFn: () => openReleaseApi.get(r.code) });
  const [quasi, setQuasi] = useState<string[]>([]);
  const [k, setK] = useState<number | null>(null);
  useEffect(() => {
    const d = release.data;
    if (!d) return;
    const released = new Set(d.items.map((i) => i.name));
    setQuasi(
      d.kAnonymity?.quasiIdentifiers ??
        d.proposedQuasiIdentifiers.map((p) => p.item).filter((item) => released.has(item)),
    );
    setK(d.kAnonymity?.k ?? null);
  }, [release.data]);
  const body = () => ({ quasiIdentifiers: quasi, ...(k ? { k } : {}) });
  const preview = useMutation({ mutationFn: () => openReleaseApi.preview(r.code, body()) });
  // The released items the catalog classes as personal: with any, the gate needs a quasi-identifier.
  const personal = new Set(r.items.filter((i) => i.personal).map((i) => i.name));
  const personalReleased = (release.data?.items ?? []).map((i) => i.name).filter((n) => personal.has(n));
  const needsQuasi = personalReleased.length > 0 && quasi.length === 0;
  const save = useMutation({
    mutationFn: () =>
      openReleaseApi.put(r.code, {
        items: (release.data?.items ?? []).map((i) => ({ name: i.name, mask: i.mask })),
        ...body(),
      }),
    onSuccess: () => {
      message.success(t('kanon.saved'));
      client.invalidateQueries({ queryKey: ['open-release', r.code] });
    },
  });
  const apply = useMutation({
    mutationFn: () => openReleaseApi.generalise(r.code, body()),
    onSuccess: () => {
      message.success(t('kanon.applied'));
      client.invalidateQueries({ queryKey: ['open-release', r.code] });
      preview.mutate();
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const p = preview.data;
  const kinds = new Map((release.data?.proposedQuasiIdentifiers ?? []).map((q) => [q.item, q.kind]));

  return (
    <Drawer open size="large" title={t('kanon.title', { name: r.name })} onClose={onClose}>
      <Alert type="info" showIcon title={t('kanon.explain')} style={{ marginBottom: 12 }} />
      {release.error && <ErrorAlert error={release.error} />}
      {release.data?.kAnonymityProposed && (
        <Alert
          type="warning"
          showIcon
          data-testid="kanon-proposed"
          title={
            release.data.kAnonymity?.quasiIdentifiers.length
              ? t('kanon.proposedGate', { items: release.data.kAnonymity.quasiIdentifiers.join('、') })
              : t('kanon.wholeRelease')
          }
          style={{ marginBottom: 12 }}
        />
      )}
      <Form layout="vertical">
        <Space wrap align="end">
          <Form.Item label={t('kanon.quasi')} htmlFor="kanon-quasi">
            <Select
              id="kanon-quasi"
              mode="multiple"
              style={{ minWidth: 320 }}
              value={quasi}
              onChange={setQuasi}
              options={(release.data?.items ?? []).map((i) => ({
                value: i.name,
                label: kinds.has(i.name)
                  ? `${i.name}（${t(`kanon.kind.${kinds.get(i.name)}` as MessageKey)}）`
                  : i.name,
              }))}
            />
          </Form.Item>
          <Form.Item label={t('kanon.k')} htmlFor="kanon-k">
            <InputNumber
              id="kanon-k"
              min={2}
              max={10000}
              value={k}
              placeholder={p ? String(p.minK) : '5'}
              onChange={(v) => setK(v)}
            />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button
                type="primary"
                disabled={!release.data || needsQuasi}
                loading={save.isPending}
                onClick={() => save.mutate()}
                data-testid="kanon-save"
              >
                {t('kanon.save')}
              </Button>
              <Button
                disabled={quasi.length === 0}
                loading={preview.isPending}
                onClick={() => preview.mutate()}
                data-testid="kanon-preview"
              >
                {t('kanon.preview')}
              </Button>
            </Space>
          </Form.Item>
        </Space>
      </Form>
      {needsQuasi && (
        <Alert
          type="error"
          showIcon
          data-testid="kanon-needs-quasi"
          title={t('kanon.personalNeedsQuasi', { items: personalReleased.join('、') })}
          style={{ marginBottom: 12 }}
        />
      )}
      {save.error && <ErrorAlert error={save.error} action="save" />}
      {preview.error && <ErrorAlert error={preview.error} />}
      {p && (
        <>
          <Descriptions size="small" column={3} bordered style={{ marginBottom: 12 }}>
            <Descriptions.Item label={t('kanon.required')}>{p.k}</Descriptions.Item>
            <Descriptions.Item label={t('kanon.live')}>
              <Tag color={p.live.k === null || p.live.k >= p.k ? 'green' : 'red'} data-testid="kanon-live">
                {p.live.k ?? '—'}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('kanon.minK')}>{p.minK}</Descriptions.Item>
          </Descriptions>
          <h3>{t('kanon.smallest')}</h3>
          <Table
            size="small"
            pagination={false}
            rowKey={(c) => JSON.stringify(c.values)}
            dataSource={p.live.smallest}
            columns={[
              { title: t('kanon.values'), key: 'v', render: (_, c) => classValues(c) },
              { title: t('kanon.size'), dataIndex: 'size', width: 100 },
            ]}
          />
          <h3 style={{ marginTop: 16 }}>{t('kanon.generalisation')}</h3>
          {p.generalisation.reachable ? (
            <Alert
              type="success"
              showIcon
              title={t('kanon.reachable', { k: p.generalisation.k ?? '—' })}
              style={{ marginBottom: 12 }}
            />
          ) : (
            <Alert
              type="error"
              showIcon
              title={t(`kanon.reason.${p.generalisation.reason}` as MessageKey)}
              style={{ marginBottom: 12 }}
            />
          )}
          <Table
            size="small"
            pagination={false}
            rowKey="item"
            dataSource={p.generalisation.levels}
            columns={[
              { title: t('kanon.item'), dataIndex: 'item' },
              {
                title: t('kanon.kindTitle'),
                key: 'kind',
                render: (_, l) => t(`kanon.kind.${l.kind}` as MessageKey),
              },
              { title: t('kanon.level'), dataIndex: 'level', width: 80 },
              {
                title: t('kanon.mask'),
                key: 'mask',
                render: (_, l) => <code>{JSON.stringify(l.mask)}</code>,
              },
            ]}
          />
          <Button
            type="primary"
            style={{ margin: '12px 0' }}
            disabled={!p.generalisation.reachable}
            loading={apply.isPending}
            onClick={() => apply.mutate()}
            data-testid="kanon-apply"
          >
            {t('kanon.apply')}
          </Button>
        </>
      )}
    </Drawer>
  );
}
