import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../../audit/index.js';
import {
  createResource,
  importCatalog,
  importedFacts,
  listResources,
  type ResourceView,
  requestPublish,
  resourcePolicy,
  searchResources,
} from '../../catalog/index.js';
import { loadConfig } from '../../config/index.js';
import { type Actor, ANONYMOUS, type Role } from '../../identity/index.js';
import { auditActorOf } from '../../query/index.js';
import { notify } from '../../sharing/index.js';
import type { Database } from '../../store/index.js';
import { action } from '../run-action.js';
import { withPlatform, withStore } from '../with-store.js';

/** A resource change made from the command line, logged as the API logs it, by the user named. */
async function recordResource(audit: AuditLog, actor: Actor, type: string, resource: ResourceView) {
  await audit.append({
    type,
    actor: auditActorOf(actor),
    resources: [resource.code],
    data: { ...resourcePolicy(resource), via: 'cli' },
  });
}

/**
 * Publishes a draft as the steward named, logged as the API logs it: where catalog review is
 * required (HUITONG_CATALOG_REVIEW), submits it for the catalog reviewer instead. Returns the line to print.
 */
async function publishOrSubmit(
  db: Kysely<Database>,
  audit: AuditLog,
  actor: Actor,
  code: string,
): Promise<string> {
  const review = loadConfig().HUITONG_CATALOG_REVIEW === 'required';
  const outcome = await requestPublish(db, actor, code, { review, notify });
  if ('applied' in outcome) {
    await recordResource(audit, actor, 'resource.published', outcome.applied);
    return `published ${line(outcome.applied)}`;
  }
  const change = outcome.pending;
  await audit.append({
    type: 'catalog_change.submitted',
    actor: auditActorOf(actor),
    resources: [change.resource.code],
    data: { changeId: change.id, kind: change.kind, status: change.status, via: 'cli' },
  });
  return `submitted for catalog review (change ${change.id}): ${change.resource.code}\n`;
}

/** The user a command acts as: the CLI operator names them, and their roles are then enforced. */
async function actorOf(db: Kysely<Database>, username: string | undefined): Promise<Actor> {
  if (!username) return ANONYMOUS;
  const user = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  if (!user || user.disabled) throw new Error(`No active user named "${username}"`);
  return { kind: 'user', userId: user.id, orgId: user.org_id, username, roles: user.roles as Role[] };
}

/** A progress bar on stderr, drawn only for a person watching (a TTY). */
function progressBar(label: string) {
  const tty = process.stderr.isTTY === true;
  let last = -1;
  return {
    update(done: number, total: number) {
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      if (!tty || percent === last) return;
      last = percent;
      const width = 30;
      const filled = Math.round((percent / 100) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}%`);
    },
    end() {
      if (tty && last >= 0) process.stderr.write('\n');
    },
  };
}

const line = (r: ResourceView) => `${r.code}\t${r.status}\tv${r.version}\t${r.name}\n`;

/** `huitong catalog import`, `resource create|publish|list`. */
export function registerCatalogCommands(program: Command): void {
  const catalog = program.command('catalog').description('the data resource catalog (数据资源目录)');
  catalog
    .command('import')
    .description(
      'import catalog entries from an XLSX or CSV sheet (one row per resource; items on sheet 信息项)',
    )
    .argument('<file>', 'the .xlsx or .csv file')
    .requiredOption(
      '--as <username>',
      'the data steward who imports (their organisation provides the resources)',
    )
    .option('--all-or-nothing', 'import nothing if any row is rejected')
    .option('--publish', 'publish each imported resource at once')
    .action(
      action(async (file: string, o: { as: string; allOrNothing?: boolean; publish?: boolean }) => {
        const content = readFileSync(file);
        await withPlatform(async ({ store: { db }, audit }) => {
          const bar = progressBar('importing');
          const actor = await actorOf(db, o.as);
          const report = await importCatalog(db, actor, content, {
            mode: o.allOrNothing ? 'all-or-nothing' : 'valid-only',
            publish: o.publish === true,
            ...(file.toLowerCase().endsWith('.csv') ? { format: 'csv' as const } : {}),
            onProgress: (done, total) => bar.update(done, total),
          });
          bar.end();
          for (const { data, resources } of importedFacts(report, o.publish === true)) {
            await audit.append({
              type: 'catalog.imported',
              actor: auditActorOf(actor),
              resources,
              data: { ...data, via: 'cli' },
            });
          }
          for (const r of report.rejected) {
            process.stdout.write(
              `rejected ${r.sheet} row ${r.row}: ${r.code}${r.field ? ` (${r.field})` : ''}: ${r.message}\n`,
            );
          }
          for (const r of report.imported)
            process.stdout.write(`imported row ${r.row}: ${r.code} ${r.name}\n`);
          process.stdout.write(
            `${report.imported.length} of ${report.total} imported, ${report.rejected.length} rejected` +
              (report.committed ? '\n' : '; nothing was written (--all-or-nothing)\n'),
          );
          if (!report.committed) process.exitCode = 1;
        });
      }),
    );

  const resource = program.command('resource').description('catalog resources (信息资源)');
  resource
    .command('create')
    .description('create a draft resource from a JSON file with the fields of POST /api/v1/resources')
    .requiredOption('--as <username>', 'the data steward')
    .requiredOption('--file <json>', 'the resource as JSON')
    .option('--publish', 'publish it at once (submit it for catalog review where it is required)')
    .action(
      action(async (o: { as: string; file: string; publish?: boolean }) => {
        const input = JSON.parse(readFileSync(o.file, 'utf8'));
        await withPlatform(async ({ store: { db }, audit }) => {
          const actor = await actorOf(db, o.as);
          const created = await createResource(db, actor, input);
          await recordResource(audit, actor, 'resource.created', created);
          process.stdout.write(`created ${line(created)}`);
          if (o.publish) process.stdout.write(await publishOrSubmit(db, audit, actor, created.code));
        });
      }),
    );
  resource
    .command('publish')
    .description('publish a draft resource (submit it for catalog review where it is required)')
    .argument('<code>', 'the resource code')
    .requiredOption('--as <username>', 'the data steward')
    .action(
      action(async (code: string, o: { as: string }) => {
        await withPlatform(async ({ store: { db }, audit }) => {
          const actor = await actorOf(db, o.as);
          process.stdout.write(await publishOrSubmit(db, audit, actor, code));
        });
      }),
    );
  resource
    .command('list')
    .description('list (or, with --query, search) the resources a user may see; anonymous sees open data')
    .option('--as <username>', 'whose view')
    .option('--query <text>', 'full-text search, e.g. 人口')
    .option('--status <status>', 'draft | published | retired (search only)', 'published')
    .option('--limit <n>', 'how many', '50')
    .action(
      action(async (o: { as?: string; query?: string; status: string; limit: string }) => {
        await withStore(async ({ db }) => {
          const actor = await actorOf(db, o.as);
          const limit = Math.min(200, Math.max(1, Number(o.limit) || 50));
          const items = o.query
            ? (
                await searchResources(db, actor, {
                  q: o.query,
                  limit,
                  facets: [],
                  status: o.status as 'published',
                })
              ).items
            : (await listResources(db, actor, { limit })).items;
          for (const r of items) process.stdout.write(line(r));
        });
      }),
    );
}
