import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { loadConfig } from '../../config/index.js';
import {
  CreateOrganizationSchema,
  CreateUserSchema,
  createApiKey,
  createApplication,
  createOrganization,
  createUser,
  findOrganizationByName,
  getOrganization,
  RoleSchema,
  revokeApiKey,
} from '../../identity/index.js';
import type { Database } from '../../store/index.js';
import { action } from '../run-action.js';
import { CLI_ACTOR, withPlatform } from '../with-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function resolveOrg(db: Kysely<Database>, nameOrId: string): Promise<string> {
  if (UUID.test(nameOrId)) return (await getOrganization(db, nameOrId)).id;
  const org = await findOrganizationByName(db, nameOrId);
  if (!org) throw new Error(`No organisation named "${nameOrId}"`);
  return org.id;
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** `huitong org create`, `user create`, `key create`, `key revoke`. */
export function registerIdentityCommands(program: Command): void {
  const org = program.command('org').description('member organisations');
  org
    .command('create')
    .description('register an organisation')
    .requiredOption('--name <name>', 'name, e.g. 福建省公安厅')
    .requiredOption('--kind <kind>', 'department | enterprise | platform')
    .requiredOption('--level <level>', 'national | provincial | municipal | county')
    .requiredOption('--region <code>', 'six-digit GB/T 2260 division code')
    .option('--parent <org>', 'parent organisation (name or id)')
    .option('--credit-code <code>', 'unified social credit code (required for enterprises)')
    .action(
      action(async (o: Record<string, string | undefined>) => {
        await withPlatform(async ({ store: { db }, audit }) => {
          const input = CreateOrganizationSchema.parse({
            name: o.name,
            kind: o.kind,
            level: o.level,
            regionCode: o.region,
            parentId: o.parent ? await resolveOrg(db, o.parent) : undefined,
            creditCode: o.creditCode,
          });
          const created = await createOrganization(db, input);
          await audit.append({
            type: 'organization.created',
            actor: CLI_ACTOR,
            data: { orgId: created.id, name: created.name },
          });
          process.stdout.write(
            `created organisation ${created.name} (${created.id}) in ${created.regionName}\n`,
          );
        });
      }),
    );

  const user = program.command('user').description('users');
  user
    .command('create')
    .description('create a user; prints a generated password unless --password is given')
    .requiredOption('--org <org>', 'organisation (name or id)')
    .requiredOption('--username <username>', 'login name')
    .option('--display-name <name>', 'name shown in the console')
    .requiredOption('--roles <roles>', `comma-separated: ${RoleSchema.options.join(', ')}`)
    .option('--password <password>', 'initial password (at least 10 characters)')
    .option('--no-password-change', 'do not make the user change it at the first sign-in (等保 wants it)')
    .action(
      action(async (o: Record<string, string | undefined> & { passwordChange?: boolean }) => {
        await withPlatform(async ({ store: { db }, audit }) => {
          const password = o.password ?? randomBytes(12).toString('base64url');
          const input = CreateUserSchema.parse({
            orgId: await resolveOrg(db, o.org!),
            username: o.username,
            displayName: o.displayName ?? o.username,
            password,
            roles: list(o.roles ?? ''),
            mustChangePassword: o.passwordChange !== false,
          });
          const created = await createUser(db, input);
          await audit.append({
            type: 'user.created',
            actor: CLI_ACTOR,
            data: { userId: created.id, orgId: created.orgId, roles: created.roles },
          });
          process.stdout.write(
            `created user ${created.username} (${created.id}) with roles ${created.roles.join(', ')}\n`,
          );
          if (!o.password) process.stdout.write(`password (shown once): ${password}\n`);
          if (created.mustChangePassword)
            process.stdout.write('the user must change it at the first sign-in\n');
        });
      }),
    );

  const key = program.command('key').description('API keys of applications');
  key
    .command('create')
    .description(
      'create an API key for an application (the application is created if absent); prints the key once',
    )
    .requiredOption('--org <org>', 'organisation (name or id)')
    .requiredOption('--app <name>', 'application name')
    .option('--name <name>', 'key name', 'cli')
    .option('--roles <roles>', 'comma-separated: analyst, data_steward', 'analyst')
    .option('--expires <iso-date>', 'expiry, e.g. 2027-12-31T00:00:00Z')
    .action(
      action(async (o: Record<string, string | undefined>) => {
        await withPlatform(async ({ store: { db }, audit }) => {
          const orgId = await resolveOrg(db, o.org!);
          const existing = await db
            .selectFrom('applications')
            .select('id')
            .where('org_id', '=', orgId)
            .where('name', '=', o.app!)
            .executeTakeFirst();
          const applicationId =
            existing?.id ?? (await createApplication(db, { orgId, name: o.app!, description: '' })).id;
          const roles = RoleSchema.array().parse(list(o.roles ?? 'analyst'));
          const created = await createApiKey(db, {
            applicationId,
            name: o.name!,
            roles,
            expiresAt: o.expires ?? null,
            maxLive: loadConfig().HUITONG_MAX_KEYS_PER_APPLICATION,
          });
          await audit.append({
            type: 'api_key.created',
            actor: CLI_ACTOR,
            data: {
              applicationId,
              keyId: created.apiKey.id,
              prefix: created.apiKey.prefix,
              roles: created.apiKey.roles,
            },
          });
          process.stdout.write(
            `created key ${created.apiKey.id} (${created.apiKey.prefix}…) for application ${o.app}\n`,
          );
          process.stdout.write(`key (shown once): ${created.key}\n`);
        });
      }),
    );
  key
    .command('revoke')
    .description('revoke an API key by its id or its ht_xxxxxxxxxxxx_ prefix')
    .argument('<key>', 'key id (uuid) or prefix')
    .action(
      action(async (given: string) => {
        await withPlatform(async ({ store: { db }, audit }) => {
          const prefix = /^ht_([0-9a-f]{12})/.exec(given)?.[1];
          const row = await db
            .selectFrom('api_keys')
            .select('id')
            .where(
              prefix ? 'key_id' : 'id',
              '=',
              prefix ?? (UUID.test(given) ? given : '00000000-0000-0000-0000-000000000000'),
            )
            .executeTakeFirst();
          if (!row) throw new Error(`No API key ${given}`);
          const revoked = await revokeApiKey(db, row.id);
          await audit.append({ type: 'api_key.revoked', actor: CLI_ACTOR, data: { keyId: revoked.id } });
          process.stdout.write(`revoked key ${revoked.id} (${revoked.prefix}…) at ${revoked.revokedAt}\n`);
        });
      }),
    );
}
