import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../../audit/index.js';
import { loadConfig } from '../../config/index.js';
import { findOrganizationByName, getOrganization } from '../../identity/index.js';
import {
  CreateSourceSchema,
  createSource,
  describeSource,
  FileFormatSchema,
  findSourceByName,
  getSource,
  importFile,
  type SourceRuntime,
  sourceFacts,
  sourceRuntimeFromConfig,
  testSource,
} from '../../sources/index.js';
import type { Database, Store } from '../../store/index.js';
import { action } from '../run-action.js';
import { CLI_ACTOR, withPlatform, withStore } from '../with-store.js';

type Db = Kysely<Database>;
type Options = Record<string, string | boolean | undefined>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function resolveOrg(db: Db, nameOrId: string): Promise<string> {
  if (UUID.test(nameOrId)) return (await getOrganization(db, nameOrId)).id;
  const org = await findOrganizationByName(db, nameOrId);
  if (!org) throw new Error(`No organisation named "${nameOrId}"`);
  return org.id;
}

async function resolveSource(db: Db, nameOrId: string, org: string | undefined): Promise<string> {
  if (UUID.test(nameOrId)) return (await getSource(db, nameOrId)).id;
  const found = await findSourceByName(db, org ? await resolveOrg(db, org) : undefined, nameOrId);
  if (!found) throw new Error(`No source named "${nameOrId}"`);
  return found.id;
}

/** Runs `work` with a source runtime from the configuration, closing it afterwards. */
async function withRuntime(work: (runtime: SourceRuntime) => Promise<void>): Promise<void> {
  const runtime = sourceRuntimeFromConfig(loadConfig());
  try {
    await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** Runs a read-only command over the configured store and a source runtime. */
function withSources(work: (store: Store, runtime: SourceRuntime) => Promise<void>): Promise<void> {
  return withStore((store) => withRuntime((runtime) => work(store, runtime)));
}

/** What `source add` works with; its audit log records the registration as the API does. */
interface Adding {
  store: Store;
  runtime: SourceRuntime;
  audit: AuditLog;
  orgId: string;
}

const FORMAT_BY_EXTENSION: Record<string, string> = {
  '.csv': 'csv',
  '.txt': 'csv',
  '.xlsx': 'xlsx',
  '.parquet': 'parquet',
  '.json': 'json',
  '.ndjson': 'ndjson',
  '.jsonl': 'ndjson',
};

/** A source registered from the command line, logged as the API logs one. */
async function recordCreated(
  audit: AuditLog,
  data: Record<string, string | number | boolean | null | string[]>,
) {
  await audit.append({ type: 'source.created', actor: CLI_ACTOR, data: { ...data, via: 'cli' } });
}

async function addFile({ store, runtime, audit, orgId }: Adding, o: Options): Promise<void> {
  const path = String(o.file);
  await stat(path);
  const format = FileFormatSchema.parse(o.format ?? FORMAT_BY_EXTENSION[extname(path).toLowerCase()]);
  const imported = await importFile(store.db, runtime, createReadStream(path), {
    orgId,
    name: String(o.name ?? basename(path, extname(path))),
    format,
    encoding: (o.encoding as 'auto' | 'utf-8' | 'gbk' | 'gb18030' | undefined) ?? 'auto',
    delimiter: o.delimiter as string | undefined,
    header: o.header !== false,
    sheet: o.sheet as string | undefined,
    originalName: basename(path),
  });
  await recordCreated(audit, {
    ...sourceFacts(imported.source),
    format,
    rowCount: imported.rowCount,
    columns: imported.columns.map((c) => c.name),
  });
  process.stdout.write(
    `imported ${imported.source.name} (${imported.source.id}): ${imported.rowCount} rows\n`,
  );
  for (const c of imported.columns) process.stdout.write(`  ${c.name}\t${c.type}\t(${c.nativeType})\n`);
}

async function addConnection({ store, runtime, audit, orgId }: Adding, o: Options): Promise<void> {
  const tls = o.tls
    ? {
        mode: o.tls === true ? 'require' : o.tls,
        ...(o.ca ? { ca: await readFile(String(o.ca), 'utf8') } : {}),
      }
    : undefined;
  const password = o.passwordEnv ? process.env[String(o.passwordEnv)] : o.password;
  const input = CreateSourceSchema.parse({
    kind: o.kind,
    name: o.name,
    ...(o.kind === 'http_json'
      ? {
          url: o.url,
          recordsPath: o.recordsPath,
          authHeaderName: o.authHeaderName,
          authHeaderValue: o.authHeaderValue,
          ...(o.pageSize ? { paging: { style: 'offset', pageSize: Number(o.pageSize) } } : {}),
        }
      : {
          host: o.host,
          port: o.port ? Number(o.port) : o.kind === 'mysql' ? 3306 : 5432,
          database: o.database,
          user: o.user,
          password,
          tls,
        }),
  });
  const created = await createSource(store.db, runtime, { ...input, orgId });
  await recordCreated(audit, sourceFacts(created));
  process.stdout.write(`registered ${created.kind} source ${created.name} (${created.id})\n`);
}

/** `huitong source add|test|describe`: register sources, check connections, list what they hold. */
export function registerSourceCommands(program: Command): void {
  const source = program.command('source').description('data sources (数据源): databases, files, HTTP APIs');
  source
    .command('add')
    .description('register a database or HTTP JSON API, or import a file (--kind file --file PATH)')
    .requiredOption('--org <org>', 'owning organisation (name or id)')
    .option('--name <name>', 'source name (a file defaults to its base name)')
    .requiredOption('--kind <kind>', 'postgres | mysql | http_json | file')
    .option('--host <host>', 'database host')
    .option('--port <port>', 'database port (5432 / 3306)')
    .option('--database <name>', 'database name')
    .option('--user <user>', 'database user')
    .option('--password <password>', 'database password (stored encrypted; prefer --password-env)')
    .option('--password-env <var>', 'read the password from this environment variable')
    .option('--tls [mode]', 'require | verify-full (default require)')
    .option('--ca <file>', 'PEM CA certificate for --tls verify-full')
    .option('--url <url>', 'HTTP JSON API URL')
    .option('--records-path <path>', 'dotted path to the records, e.g. data.items')
    .option('--auth-header-name <name>', 'HTTP auth header name (default Authorization)')
    .option('--auth-header-value <value>', 'HTTP auth header value (stored encrypted)')
    .option('--page-size <n>', 'page with offset/limit parameters of this size')
    .option('--file <path>', 'file to import: .csv .xlsx .parquet .json .ndjson')
    .option('--format <format>', 'csv | xlsx | parquet | json | ndjson (default from the extension)')
    .option('--encoding <encoding>', 'auto | utf-8 | gbk | gb18030 (CSV; default auto)')
    .option('--delimiter <char>', 'CSV delimiter (default detected)')
    .option('--no-header', 'the CSV has no header row')
    .option('--sheet <name>', 'XLSX sheet (default the first)')
    .action(
      action(async (o: Options) => {
        await withPlatform(({ store, audit }) =>
          withRuntime(async (runtime) => {
            const adding = { store, runtime, audit, orgId: await resolveOrg(store.db, String(o.org)) };
            if (o.kind === 'file') await addFile(adding, o);
            else await addConnection(adding, o);
          }),
        );
      }),
    );

  source
    .command('test')
    .description('connect to a source and report who answered')
    .argument('<source>', 'source id or name')
    .option('--org <org>', 'organisation, when several have a source of this name')
    .action(
      action(async (name: string, o: Options) => {
        await withSources(async (store, runtime) => {
          const id = await resolveSource(store.db, name, o.org as string | undefined);
          const result = await testSource(store.db, runtime, id);
          process.stdout.write(`ok in ${result.latencyMs} ms: ${result.serverVersion ?? 'unknown server'}\n`);
        });
      }),
    );

  source
    .command('describe')
    .description('list the tables and columns of a source, with row estimates')
    .argument('<source>', 'source id or name')
    .option('--org <org>', 'organisation, when several have a source of this name')
    .option('--schema <schema>', 'only this schema (PostgreSQL) or database (MySQL)')
    .action(
      action(async (name: string, o: Options) => {
        await withSources(async (store, runtime) => {
          const id = await resolveSource(store.db, name, o.org as string | undefined);
          const { tables } = await describeSource(
            store.db,
            runtime,
            id,
            o.schema ? { schema: String(o.schema) } : {},
          );
          for (const t of tables) {
            const rows = t.rowEstimate === null ? '' : `, ~${t.rowEstimate} rows`;
            process.stdout.write(`${t.schema ? `${t.schema}.` : ''}${t.name} (${t.kind}${rows})\n`);
            for (const c of t.columns)
              process.stdout.write(
                `  ${c.name}\t${c.type}\t${c.nativeType}${c.nullable ? '' : ' NOT NULL'}\n`,
              );
          }
        });
      }),
    );
}
