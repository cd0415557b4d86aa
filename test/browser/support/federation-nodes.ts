import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { huitongCommand } from '../../support/cli-bundle.js';
import { TEST_OUTBOUND_ALLOW } from '../../support/services.js';
import { apiSession } from './api.js';
import { type RunningServer, startServer } from './server.js';

const run = promisify(execFile);

type Session = Awaited<ReturnType<typeof apiSession>>;

/** Polls `probe` every 250 ms until it answers, failing after `ms` with what it waited for. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  ms: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A `huitong` command on a stopped node's data directory. */
async function cli(dataDir: string, args: string[]): Promise<void> {
  const { command, args: base } = huitongCommand();
  const { HUITONG_DATABASE_URL: _ignored, ...env } = process.env;
  await run(command, [...base, ...args], {
    env: { ...env, HUITONG_DATA_DIR: dataDir, HUITONG_OUTBOUND_ALLOW: TEST_OUTBOUND_ALLOW.join(',') },
    timeout: 90_000,
  });
}

/** Makes `root` (stopped, then started again) the root 国家节点 `cn-100000` with `huitong federation init`. */
export async function makeRoot(root: RunningServer): Promise<void> {
  await root.restart((dir) =>
    cli(dir, [
      'federation',
      'init',
      '--federation',
      '全国一体化政务数据共享',
      '--node-id',
      'cn-100000',
      '--region',
      '100000',
      '--name',
      '国家节点',
      '--level',
      'national',
      '--url',
      root.url,
    ]),
  );
}

/** `huitong federation join` with the root's token: `province` asks to join as 浙江省节点 `zj-330000`. */
export async function joinAsProvince(province: RunningServer, rootUrl: string, token: string): Promise<void> {
  await province.restart((dir) =>
    cli(dir, [
      'federation',
      'join',
      rootUrl,
      '--token',
      token,
      '--node-id',
      'zj-330000',
      '--region',
      '330000',
      '--name',
      '浙江省节点',
      '--level',
      'provincial',
      '--url',
      province.url,
      '--parent',
      'cn-100000',
    ]),
  );
}

/**
 * Two real platform processes as a federation: the root 国家节点 and 浙江省节点, joined with a
 * token the root issued, approved, and holding the configuration that lists it.
 */
export async function startTwoNodes(
  settings: Record<string, string>,
): Promise<{ root: RunningServer; province: RunningServer }> {
  const [root, province] = await Promise.all([startServer(settings), startServer(settings)]);
  await makeRoot(root);
  const rootAdmin = await apiSession(root.url, root.admin.username, root.admin.password);
  const { token } = await rootAdmin<{ token: string }>('POST', '/api/v1/federation/join-tokens', {
    validHours: 1,
  });
  await joinAsProvince(province, root.url, token);
  await rootAdmin('POST', '/api/v1/federation/members/zj-330000/decision', { decision: 'approve' });
  // The province holds the configuration that lists it before it reports or is asked.
  const provinceAdmin = await apiSession(province.url, province.admin.username, province.admin.password);
  await eventually(
    async () => {
      const held = await provinceAdmin<{ config: { version: number } | null }>(
        'GET',
        '/api/v1/federation/node',
      );
      return held.config && held.config.version >= 2 ? true : undefined;
    },
    30_000,
    'the province to hold configuration version 2',
  );
  return { root, province };
}

/** How a published resource is shared: 无条件开放 by default, or 有条件共享 with its conditions. */
export type Sharing =
  | { sharingType: 'unconditional'; openType: 'unconditional' }
  | { sharingType: 'conditional'; openType: 'not_open'; sharingConditions: string };

/**
 * An organisation with a data steward, a CSV file source, and a resource over it, published:
 * what a node's catalog holds, set up through the API.
 */
export async function publishResource(
  server: RunningServer,
  org: { name: string; regionCode: string; level: 'national' | 'provincial' },
  steward: { username: string; password: string },
  resource: { name: string; summary: string },
  sharing: Sharing = { sharingType: 'unconditional', openType: 'unconditional' },
): Promise<{ code: string; name: string }> {
  const admin = await apiSession(server.url, server.admin.username, server.admin.password);
  const created = await admin<{ id: string }>('POST', '/api/v1/organizations', {
    name: org.name,
    kind: 'department',
    level: org.level,
    regionCode: org.regionCode,
  });
  await admin('POST', '/api/v1/users', {
    orgId: created.id,
    displayName: '数据管理员',
    roles: ['data_steward'],
    mustChangePassword: false,
    ...steward,
  });
  const as: Session = await apiSession(server.url, steward.username, steward.password);
  const source = await as<{ source: { id: string } }>(
    'POST',
    `/api/v1/sources/files?name=${encodeURIComponent(resource.name)}&format=csv`,
    'qh,rs\n330100,100\n330200,200\n',
    'text/csv',
  );
  const made = await as<{ code: string; name: string }>('POST', '/api/v1/resources', {
    classificationCode: '101001',
    format: 'CSV',
    sharingMethods: ['api', 'file'],
    updateCycle: 'monthly',
    name: resource.name,
    summary: resource.summary,
    items: [
      { name: '区划代码', field: 'qh', dataType: 'string' },
      { name: '人数', field: 'rs', dataType: 'number' },
    ],
    ...sharing,
  });
  const schema = await as<{ tables: { name: string }[] }>(
    'GET',
    `/api/v1/sources/${source.source.id}/schema`,
  );
  await as('PUT', `/api/v1/resources/${made.code}/binding`, {
    sourceId: source.source.id,
    from: { kind: 'table', table: schema.tables[0]!.name },
  });
  await as('POST', `/api/v1/resources/${made.code}/publish`);
  return made;
}
