import { readFile } from 'node:fs/promises';
import { RESOURCES } from './catalog/index.js';
import { ApiError, type PlatformClient } from './client.js';
import type { ResourceCodes } from './load-catalog.js';
import type { Sessions } from './load-members.js';
import type { LoadReport } from './load-report.js';
import { route } from './pending-routes.js';
import type { WrittenFile } from './write-files.js';

/** A registered source: its id and what the provider's system calls the table. */
export interface SourceRef {
  id: string;
  table: string;
  schema?: string | null;
}

/** Sources by `<provider>/<table>`: each provider uploads each of its tables once. */
export type SourceRefs = Map<string, SourceRef>;

/**
 * Uploads each provider's tables as file sources (CSV) through the sources API, unless a
 * database source already holds them (`--services`). Returns what it registered.
 */
export async function uploadFiles(
  client: PlatformClient,
  sessions: Sessions,
  files: WrittenFile[],
  sources: SourceRefs,
  report: LoadReport,
): Promise<void> {
  for (const resource of RESOURCES) {
    if (!resource.table) continue;
    const key = `${resource.provider}/${resource.table}`;
    if (sources.has(key)) continue;
    const file = files.find((f) => f.table === resource.table)!;
    const auth = await sessions.steward(resource.provider);
    const form = new FormData();
    form.set('name', `${resource.table}.csv`);
    form.set('description', `演示数据: ${resource.entry.name}`);
    form.set('file', new Blob([await readFile(file.path)], { type: 'text/csv' }), `${resource.table}.csv`);
    const [method, path] = route('uploadFile');
    const created = await report.attempt('uploadFile', () =>
      client.call<{ id: string }>(auth, method, path, form),
    );
    if (!created) return;
    sources.set(key, { id: created.id, table: resource.table });
    report.count('file sources');
  }
}

/** Binds every resource with data to its provider's source, item by item. */
export async function bindResources(
  client: PlatformClient,
  sessions: Sessions,
  codes: ResourceCodes,
  sources: SourceRefs,
  report: LoadReport,
): Promise<void> {
  for (const resource of RESOURCES) {
    const source = resource.table && sources.get(`${resource.provider}/${resource.table}`);
    if (!source) continue;
    const auth = await sessions.steward(resource.provider);
    const table = await describedTable(client, auth, source);
    const [method, path] = route('bind', { code: codes.get(resource.entry.name)! });
    const bound = await report.attempt('bind', () =>
      client.call(auth, method, path, {
        sourceId: source.id,
        readFrom: { kind: 'table', schema: table.schema ?? null, table: table.name },
        columns: (resource.entry.items ?? []).map((item) => ({ item: item.name, column: item.field! })),
      }),
    );
    if (!bound) return;
    report.count('bindings');
  }
}

// The name the source gives the table: a file source may name it after the file.
async function describedTable(
  client: PlatformClient,
  auth: Awaited<ReturnType<Sessions['as']>>,
  source: SourceRef,
): Promise<{ name: string; schema?: string | null }> {
  const [method, path] = route('describeSource', { id: source.id });
  try {
    const described = await client.call<{ tables: Array<{ name: string; schema: string | null }> }>(
      auth,
      method,
      path,
    );
    return (
      described.tables.find((t) => t.name === source.table) ?? described.tables[0] ?? { name: source.table }
    );
  } catch (error) {
    if (error instanceof ApiError) return { name: source.table, schema: source.schema };
    throw error;
  }
}
