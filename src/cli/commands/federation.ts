import type { Command } from 'commander';
import { loadOrCreateAuditKey } from '../../audit/index.js';
import { loadConfig } from '../../config/index.js';
import {
  initRoot,
  joinFederation,
  loadNodeKey,
  type NodeDescription,
  NodeLevelSchema,
  readHeldConfig,
  requireNode,
} from '../../federation/index.js';
import { outboundPolicyFromConfig } from '../../net/index.js';
import { action } from '../run-action.js';
import { CLI_ACTOR, withPlatform, withStore } from '../with-store.js';

type Options = Record<string, string | undefined>;

const describeSelf = (o: Options): NodeDescription => ({
  nodeId: String(o.nodeId),
  regionCode: String(o.region),
  name: String(o.name),
  level: NodeLevelSchema.parse(o.level),
  url: String(o.url),
  parentNodeId: o.parent ?? null,
});

const selfOptions = (command: Command) =>
  command
    .requiredOption('--node-id <id>', 'this node’s id, e.g. zj-330000 (lower case, digits, hyphens)')
    .requiredOption('--region <code>', 'its GB/T 2260 region code, e.g. 330000')
    .requiredOption('--name <name>', 'its name, e.g. 浙江省政务数据共享节点')
    .requiredOption('--level <level>', 'national, provincial or city')
    .requiredOption('--url <url>', 'its public base URL, as peers reach it');

/**
 * `huitong federation …` (联邦): make this installation a federation's root, join one with a
 * token from the root's administrator, or show this node's identity and configuration.
 */
export function registerFederationCommands(program: Command): void {
  const federation = program
    .command('federation')
    .description('federation of nodes (national, provincial, city)');

  selfOptions(federation.command('init').description('make this node the root of a new federation'))
    .requiredOption('--federation <name>', 'the federation’s name')
    .action(
      action(async (o: Options) => {
        const key = await loadNodeKey(loadConfig().HUITONG_DATA_DIR);
        await withPlatform(async ({ store, audit }) => {
          const config = await initRoot(store.db, key, String(o.federation), {
            ...describeSelf(o),
            auditVkey: audit.vkey,
          });
          await audit.append({
            type: 'federation.initialized',
            actor: CLI_ACTOR,
            data: { nodeId: String(o.nodeId), configVersion: config.version, via: 'cli' },
          });
          process.stdout.write(
            `root of ${config.federation}: configuration v${config.version}, key ${key.publicKey}\n`,
          );
        });
      }),
    );

  selfOptions(
    federation
      .command('join')
      .description('ask to join the federation whose root is ROOT_URL (the root’s administrator approves)')
      .argument('<root-url>', 'the root node’s base URL')
      .requiredOption('--token <token>', 'the one-time join token from the root’s administrator')
      .option('--parent <node-id>', 'the node this one reports to (its province, or the national node)'),
  ).action(
    action(async (rootUrl: string, o: Options) => {
      const config = loadConfig();
      const key = await loadNodeKey(config.HUITONG_DATA_DIR);
      await withStore(async (store) => {
        const joined = await joinFederation(
          store.db,
          outboundPolicyFromConfig(config),
          key,
          rootUrl,
          String(o.token),
          {
            ...describeSelf(o),
            // Published in the configuration: the node's witnesses check its checkpoints with it.
            auditVkey: (await loadOrCreateAuditKey(config.HUITONG_DATA_DIR, config.HUITONG_AUDIT_ORIGIN))
              .vkey,
          },
        );
        process.stdout.write(
          `join request sent as ${joined.nodeId}; pending approval by the root (root key ${joined.rootKeyId})\n`,
        );
      });
    }),
  );

  federation
    .command('status')
    .description('this node’s identity and the configuration it holds')
    .action(
      action(async () => {
        await withStore(async (store) => {
          const node = await requireNode(store.db);
          const held = await readHeldConfig(store.db);
          const lines = [
            `${node.node_id} (${node.name}, ${node.level}, ${node.region_code}) — ${node.role} of ${node.federation}`,
            held
              ? `configuration v${held.config.version}, expires ${held.config.expiresAt}, fetched ${held.fetchedAt.toISOString()}${held.lastError ? `, last error: ${held.lastError}` : ''}`
              : 'no configuration held',
            ...(held?.config.nodes ?? []).map(
              (n) => `  ${n.nodeId.padEnd(20)} ${n.status.padEnd(10)} ${n.url}`,
            ),
          ];
          process.stdout.write(`${lines.join('\n')}\n`);
        });
      }),
    );
}
