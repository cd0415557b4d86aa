import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Drawer, Form, Select, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import type { ResourceView } from '../../api/catalog.js';
import { fetchAll } from '../../api/identity.js';
import { type BindingView, sourcesApi } from '../../api/sources.js';
import { ErrorAlert, errorMessage } from '../../components/error-result.js';
import { useI18n } from '../../i18n/index.js';
import { BindingProposals } from './binding-proposals.js';

/** Binds a resource to a source table: source, table, each item's column; then the privacy scan's proposals. */
export function BindingDrawer({ resource: r, onClose }: { resource: ResourceView; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [sourceId, setSourceId] = useState<string>();
  const [table, setTable] = useState<string>();
  const [columns, setColumns] = useState<Record<string, string>>({});
  const [bound, setBound] = useState<BindingView | null>(null);
  const sources = useQuery({
    queryKey: ['sources'],
    queryFn: () => fetchAll((c) => sourcesApi.list({ limit: 200, cursor: c })),
  });
  const existing = useQuery({
    queryKey: ['binding', r.code],
    queryFn: () => sourcesApi.binding(r.code),
    retry: false,
    // The list says which resources are bound: an unbound one has no binding to ask for.
    enabled: (r as { bound?: boolean }).bound !== false,
  });
  const schema = useQuery({
    queryKey: ['source-schema', sourceId],
    queryFn: () => sourcesApi.describe(sourceId!),
    enabled: Boolean(sourceId),
  });
  useEffect(() => {
    const b = existing.data;
    if (!b) return;
    setSourceId(b.sourceId);
    const from = b.from as { kind: string; table?: string; schema?: string | null };
    if (from.kind === 'table' && from.table)
      setTable(from.schema ? `${from.schema}.${from.table}` : from.table);
    setColumns(Object.fromEntries(b.columns.map((c) => [c.item, c.column])));
  }, [existing.data]);
  const described = schema.data?.tables.find((x) => (x.schema ? `${x.schema}.${x.name}` : x.name) === table);
  const columnNames = described?.columns.map((c) => c.name) ?? [];
  const columnFor = (item: ResourceView['items'][number]) =>
    columns[item.name] ?? columnNames.find((c) => c === item.field || c === item.name);
  const bind = useMutation({
    mutationFn: () =>
      sourcesApi.bind(r.code, {
        sourceId: sourceId!,
        from: { kind: 'table', schema: described?.schema ?? null, table: described!.name },
        columns: Object.fromEntries(r.items.flatMap((i) => (columnFor(i) ? [[i.name, columnFor(i)!]] : []))),
      }),
    onSuccess: (b) => {
      setBound(b);
      message.success(t('bind.saved'));
      client.invalidateQueries({ queryKey: ['binding', r.code] });
    },
    onError: (e) => message.error(errorMessage(e)),
  });
  const view = bound ?? existing.data ?? null;

  return (
    <Drawer open size="large" title={t('bind.title', { name: r.name })} onClose={onClose}>
      {view && view.drift.length > 0 && (
        <Alert
          type="warning"
          showIcon
          title={t('bind.drift', { n: view.drift.length })}
          style={{ marginBottom: 12 }}
        />
      )}
      <Form layout="vertical">
        <Space wrap>
          <Form.Item label={t('bind.source')} htmlFor="bind-source">
            <Select
              id="bind-source"
              style={{ width: 260 }}
              value={sourceId}
              onChange={(v) => {
                setSourceId(v);
                setTable(undefined);
              }}
              options={(sources.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
            />
          </Form.Item>
          <Form.Item label={t('bind.table')} htmlFor="bind-table">
            <Select
              id="bind-table"
              style={{ width: 260 }}
              value={table}
              onChange={setTable}
              loading={schema.isFetching}
              options={(schema.data?.tables ?? []).map((x) => {
                const name = x.schema ? `${x.schema}.${x.name}` : x.name;
                return { value: name, label: name };
              })}
            />
          </Form.Item>
        </Space>
      </Form>
      {schema.error && <ErrorAlert error={schema.error} />}
      <Table
        size="small"
        rowKey="name"
        pagination={false}
        dataSource={r.items}
        columns={[
          { title: t('item.name'), dataIndex: 'name' },
          { title: t('item.field'), key: 'f', render: (_, i) => <code>{i.field ?? '—'}</code> },
          {
            title: t('bind.column'),
            key: 'c',
            render: (_, i) => (
              <Select
                aria-label={`${t('bind.column')} ${i.name}`}
                style={{ width: 200 }}
                value={columnFor(i)}
                onChange={(v) => setColumns({ ...columns, [i.name]: v })}
                options={columnNames.map((c) => ({ value: c, label: c }))}
              />
            ),
          },
        ]}
      />
      <Button
        type="primary"
        style={{ margin: '12px 0' }}
        disabled={!described}
        loading={bind.isPending}
        onClick={() => bind.mutate()}
        data-testid="bind-save"
      >
        {t('bind.save')}
      </Button>
      {view && view.proposals.length > 0 && <BindingProposals resource={r} proposals={view.proposals} />}
    </Drawer>
  );
}
