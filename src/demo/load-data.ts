import { readFile } from 'node:fs/promises';
import { RESOURCES } from './catalog/index.js';
import { type Auth, type PlatformClient, RawBody } from './client.js';
import type { ResourceCodes } from './load-catalog.js';
import type { Sessions } from './load-members.js';
import type { LoadReport } from './load-report.js';
import { route } from './pending-routes.js';
import type { DemoTable } from './table.js';
import type { WrittenFile } from './write-files.js';

/** A registered source: its id and what the provider's system calls the table. */
export interface SourceRef {
  id: string;
  table: string;
  schema?: string | null;
}

/** Sources by `<provider>/<table>`: each provider uploads each of its tables once. */
export type SourceRefs = Map<string, SourceRef>;

interface Imported {
  source: { id: string };
  columns: Array<{ name: string; type: string }>;
}

const WANTED = { string: 'string', integer: 'integer', number: 'number', date: 'date' } as const;

/**
 * Uploads each provider's tables as file sources (CSV) through the sources API, unless a
 * database source already holds them (`--services`), and corrects inferred types where the
 * file cannot tell (an ID number of digits only is still text).
 */
export async function uploadFiles(
  client: PlatformClient,
  sessions: Sessions,
  files: WrittenFile[],
  tables: DemoTable[],
  sources: SourceRefs,
  report: LoadReport,
): Promise<void> {
  for (const resource of RESOURCES) {
    if (!resource.table) continue;
    const key = `${resource.provider}/${resource.table}`;
    if (sources.has(key)) continue;
    const file = files.find((f) => f.table === resource.table)!;
    const auth = await sessions.steward(resource.provider);
    const [method, path] = route('uploadFile');
    const query = new URLSearchParams({
      name: `${resource.table}.csv`,
      description: `演示数据: ${resource.entry.name}`,
    });
    const body = new RawBody(await readFile(file.path), 'text/csv; charset=utf-8');
    const imported = await report.attempt('uploadFile', () =>
      client.call<Imported>(auth, method, `${path}?${query}`, body),
    );
    if (!imported) {
      if (report.missing('uploadFile')) return;
      continue;
    }
    await retype(client, auth, imported, tables.find((t) => t.name === resource.table)!, report);
    sources.set(key, { id: imported.source.id, table: resource.table });
    report.count('file sources');
  }
}

async function retype(
  client: PlatformClient,
  auth: Auth,
  imported: Imported,
  table: DemoTable,
  report: LoadReport,
) {
  const inferred = new Map(imported.columns.map((c) => [c.name, c.type]));
  const fixes = table.columns
    .filter((c) => inferred.has(c.name) && inferred.get(c.name) !== WANTED[c.type])
    .map((c) => ({ name: c.name, type: WANTED[c.type] }));
  if (fixes.length === 0) return;
  const [method, path] = route('retype', { id: imported.source.id });
  await report.attempt('retype', () => client.call(auth, method, path, { columns: fixes }));
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
    const table = await describedTable(client, auth, source, report);
    const [method, path] = route('bind', { code: codes.get(resource.entry.name)! });
    const columns = Object.fromEntries((resource.entry.items ?? []).map((item) => [item.name, item.field!]));
    const bound = await report.attempt('bind', () =>
      client.call(auth, method, path, {
        sourceId: source.id,
        from: { kind: 'table', schema: table.schema ?? null, table: table.name },
        columns,
      }),
    );
    if (!bound) {
      if (report.missing('bind')) return;
      continue;
    }
    report.count('bindings');
  }
}

// The name the source gives the table: a file source names it its own way.
async function describedTable(
  client: PlatformClient,
  auth: Auth,
  source: SourceRef,
  report: LoadReport,
): Promise<{ name: string; schema?: string | null }> {
  const [method, path] = route('describeSource', { id: source.id });
  const described = await report.attempt('describeSource', () =>
    client.call<{ tables: Array<{ name: string; schema: string | null }> }>(auth, method, path),
  );
  const tables = described?.tables ?? [];
  return (
    tables.find((t) => t.name === source.table && (!source.schema || t.schema === source.schema)) ??
    (tables.length === 1 ? tables[0]! : { name: source.table, schema: source.schema })
  );
}
