import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Config, loadConfig } from '../../config/index.js';
import {
  DEMO_PASSWORD,
  demoProfile,
  FEDERATION_ACCOUNTS,
  FEDERATION_NAME,
  FEDERATION_NODES,
  type FederationDemoNode,
  injectFetch,
  loadDemo,
  PlatformClient,
  prepareFederationNode,
} from '../../demo/index.js';
import { initRoot, joinFederation, loadNodeKey } from '../../federation/index.js';
import { buildApp } from '../../http/index.js';
import { outboundPolicyFromConfig } from '../../net/index.js';
import { ensureAdministrator, openPlatform, type Platform } from '../../server/index.js';
import { CLI_ACTOR } from '../with-store.js';
import { type NodeProcess, startNode, stopNode, waitHealthy } from './demo-federation-processes.js';

/** `huitong demo --federation`'s options. */
export interface FederationDemoOptions {
  dir: string;
  ports: number[];
  profile?: string;
}

/** What the demo's base directory remembers, so that a second run starts the same federation. */
interface Marker {
  ports: number[];
  apiKey: string | null;
  admins: Record<string, string>;
}
const MARKER = 'federation-demo.json';

const urlOf = (port: number) => `http://127.0.0.1:${port}`;

// Each node's environment: its own data directory and port, loopback peers allowed, short
// federation intervals so that a change is seen within seconds, and no listener on a fixed
// port besides its own (three processes would all want the PostgreSQL wire port).
function nodeEnv(base: string, node: FederationDemoNode, port: number): NodeJS.ProcessEnv {
  const { HUITONG_DATABASE_URL: _embedded, ...env } = process.env;
  return {
    ...env,
    HUITONG_DATA_DIR: join(base, node.dir),
    HUITONG_HOST: '127.0.0.1',
    HUITONG_PORT: String(port),
    HUITONG_OUTBOUND_ALLOW: [...new Set(['127.0.0.1', ...(env.HUITONG_OUTBOUND_ALLOW ?? '').split(',')])]
      .filter((e) => e.trim() !== '')
      .join(','),
    HUITONG_FEDERATION_REFRESH_SECONDS: '2',
    HUITONG_FEDERATION_REPORT_SECONDS: '1',
    HUITONG_FEDERATION_WITNESS_SECONDS: '15',
    HUITONG_AUDIT_ORIGIN: `${node.nodeId}.huitong.demo/audit`,
    HUITONG_DEMO: '0',
    HUITONG_PG_PORT: '0',
    HUITONG_LOG_LEVEL: env.HUITONG_LOG_LEVEL ?? 'warn',
  };
}

const describe = (node: FederationDemoNode, port: number) => ({
  nodeId: node.nodeId,
  regionCode: node.regionCode,
  name: node.name,
  level: node.level,
  url: urlOf(port),
  parentNodeId: node.parent,
});

/** Opens a stopped node's store, makes its first administrator, runs `work`, closes it. */
async function onStopped<T>(
  config: Config,
  work: (platform: Platform, admin: string | undefined) => Promise<T>,
): Promise<T> {
  await mkdir(config.HUITONG_DATA_DIR, { recursive: true });
  const platform = await openPlatform(config);
  try {
    const admin = await ensureAdministrator(platform.store.db);
    return await work(platform, admin && `${admin.username} / ${admin.password}`);
  } finally {
    await platform.close();
  }
}

// The demo province, loaded into 福建's stopped store through an in-process app (as `huitong demo`).
async function loadProvince(platform: Platform, config: Config, profile: string | undefined): Promise<void> {
  const app = await buildApp({ ...platform, config: { ...config, HUITONG_LOG_LEVEL: 'warn' } });
  await app.ready();
  try {
    const result = await loadDemo({
      db: platform.store.db,
      baseUrl: 'http://huitong.local',
      fetch: injectFetch(app),
      dataDir: config.HUITONG_DATA_DIR,
      profile: demoProfile(profile),
    });
    process.stdout.write(`福建: demo province loaded in ${(result.elapsedMs / 1000).toFixed(1)} s\n`);
  } finally {
    await app.close();
  }
}

async function joinAs(
  platform: Platform,
  config: Config,
  node: FederationDemoNode,
  port: number,
  root: string,
  token: string,
) {
  await joinFederation(
    platform.store.db,
    outboundPolicyFromConfig(config),
    await loadNodeKey(config.HUITONG_DATA_DIR),
    root,
    token,
    { ...describe(node, port), auditVkey: platform.audit.vkey },
  );
}

/** Waits until a member holds a configuration in which every demo node is active. */
async function waitAllActive(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${url}/api/v1/federation/config`).catch(() => undefined);
    if (response?.ok) {
      const { config } = (await response.json()) as {
        config: { nodes: Array<{ nodeId: string; status: string }> };
      };
      const active = new Set(config.nodes.filter((n) => n.status === 'active').map((n) => n.nodeId));
      if (FEDERATION_NODES.every((n) => active.has(n.nodeId))) return;
    }
    if (Date.now() > deadline)
      throw new Error(`${url} does not hold a configuration with all three nodes active`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/**
 * Sets up the three nodes in a fresh base directory: the national node made root and started,
 * two join tokens issued over its API, 福建 (the demo province) and 浙江 (its market regulator
 * with an application) joined on their stopped stores, started, and approved.
 */
async function setUp(base: string, options: FederationDemoOptions, started: NodeProcess[]): Promise<Marker> {
  const [national, fujian, zhejiang] = FEDERATION_NODES as [
    FederationDemoNode,
    FederationDemoNode,
    FederationDemoNode,
  ];
  const [pn, pf, pz] = options.ports as [number, number, number];
  const configs = FEDERATION_NODES.map((n, i) => loadConfig(nodeEnv(base, n, options.ports[i]!)));
  const admins: Record<string, string> = {};
  const since = Date.now();
  const say = (line: string) =>
    process.stdout.write(`${line} (${((Date.now() - since) / 1000).toFixed(1)} s)\n`);
  // The root is made and started while 福建 loads its province and 浙江 its organisation: the
  // members join (on their stopped stores) as soon as the root issues tokens.
  const rootReady = (async () => {
    await onStopped(configs[0]!, async (platform, admin) => {
      if (admin) admins[national.key] = admin;
      await prepareFederationNode(platform.store.db, 'national');
      const config = await initRoot(
        platform.store.db,
        await loadNodeKey(configs[0]!.HUITONG_DATA_DIR),
        FEDERATION_NAME,
        { ...describe(national, pn), auditVkey: platform.audit.vkey },
      );
      await platform.audit.append({
        type: 'federation.initialized',
        actor: CLI_ACTOR,
        data: { nodeId: national.nodeId, configVersion: config.version, via: 'cli' },
      });
    });
    const root = startNode('national', urlOf(pn), nodeEnv(base, national, pn));
    started.push(root);
    await waitHealthy(root);
    const client = new PlatformClient(root.url);
    const gj = await client.login('gj.admin', DEMO_PASSWORD);
    say(`国家节点: root of ${FEDERATION_NAME}, serving`);
    return { client, gj, url: root.url };
  })();
  const token = async () => {
    const { client, gj } = await rootReady;
    return (await client.call<{ token: string }>(gj, 'POST', '/api/v1/federation/join-tokens', {})).token;
  };
  const [{ client, gj }, , apiKey] = await Promise.all([
    rootReady,
    onStopped(configs[1]!, async (platform, admin) => {
      if (admin) admins[fujian.key] = admin;
      await loadProvince(platform, configs[1]!, options.profile);
      await joinAs(platform, configs[1]!, fujian, pf, (await rootReady).url, await token());
      say('福建省节点: demo province loaded, join requested');
    }),
    onStopped(configs[2]!, async (platform, admin) => {
      if (admin) admins[zhejiang.key] = admin;
      const prepared = await prepareFederationNode(platform.store.db, 'zhejiang');
      await joinAs(platform, configs[2]!, zhejiang, pz, (await rootReady).url, await token());
      say('浙江省节点: 浙江省市场监督管理局 and its application made, join requested');
      return prepared!.apiKey;
    }),
  ]);
  const members = [
    startNode('fujian', urlOf(pf), nodeEnv(base, fujian, pf)),
    startNode('zhejiang', urlOf(pz), nodeEnv(base, zhejiang, pz)),
  ];
  started.push(...members);
  await Promise.all(members.map((m) => waitHealthy(m)));
  for (const node of [fujian, zhejiang]) {
    await client.call(gj, 'POST', `/api/v1/federation/members/${node.nodeId}/decision`, {
      decision: 'approve',
    });
  }
  say('福建省节点 and 浙江省节点 serving, approved by the root');
  return { ports: options.ports, apiKey, admins };
}

/**
 * `huitong demo --federation`: three nodes on this machine (国家 100000, 福建 350000, 浙江
 * 330000), each with its own data directory under `dir`, joined into one federation, with the
 * cross-province scenario's data. Runs until SIGINT/SIGTERM, then stops all three.
 */
export async function runFederationDemo(options: FederationDemoOptions): Promise<void> {
  const base = resolve(options.dir);
  const started: NodeProcess[] = [];
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await Promise.all(started.map(stopNode));
  };
  const onSignal = () => {
    process.stdout.write('stopping the three nodes…\n');
    void stopAll().then(() => process.exit(0));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const marker = await readMarker(base);
    let state: Marker;
    if (marker) {
      state = marker;
      // The nodes' URLs are in the signed configuration: the ports it was made with, whatever --ports says.
      process.stdout.write(
        `${base} holds a federation demo: starting it again on ports ${state.ports.join(',')}\n`,
      );
      FEDERATION_NODES.forEach((n, i) => {
        started.push(startNode(n.key, urlOf(state.ports[i]!), nodeEnv(base, n, state.ports[i]!)));
      });
      await Promise.all(started.map((n) => waitHealthy(n)));
    } else {
      if (existsSync(base) && (await readdir(base)).length > 0)
        throw new Error(`${base} is not empty and holds no federation demo: remove it or choose --dir`);
      await mkdir(base, { recursive: true });
      state = await setUp(base, options, started);
      await writeFile(join(base, MARKER), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    }
    await Promise.all(started.slice(1).map((n) => waitAllActive(n.url)));
    process.stdout.write(`${readyLines(base, state).join('\n')}\n`);
    await new Promise<void>((_resolve, reject) => {
      for (const node of started)
        node.child.once('exit', (code, signal) => {
          if (!stopping) reject(new Error(`${node.label} exited (${code ?? signal}); stopping the others`));
        });
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function readMarker(base: string): Promise<Marker | undefined> {
  try {
    return JSON.parse(await readFile(join(base, MARKER), 'utf8')) as Marker;
  } catch {
    return undefined;
  }
}

function readyLines(base: string, state: Marker): string[] {
  const [pn, pf, pz] = state.ports.map(urlOf) as [string, string, string];
  return [
    '',
    `Federation demo ready (data under ${base}):`,
    `  国家节点   cn-100000  ${pn}   root; 福建's catalog is searchable here`,
    `  福建省节点 fj-350000  ${pf}   the demo province (docs/demo.md): 43 catalog entries, data, requests`,
    `  浙江省节点 zj-330000  ${pz}   浙江省市场监督管理局 and its application 浙江省企业信用监管系统`,
    '',
    `Accounts (password ${DEMO_PASSWORD}): 福建 as in docs/demo.md (sjj.admin, sjj.auditor, …);`,
    ...FEDERATION_ACCOUNTS.map((a) => `  ${a.node.padEnd(9)} ${a.username.padEnd(13)} ${a.purpose}`),
    ...Object.entries(state.admins).map(([k, v]) => `  ${k.padEnd(9)} ${v} (first administrator)`),
    '',
    'Try:',
    `  huitong demo scenario cross-province --national ${pn} --fujian ${pf} --zhejiang ${pz}`,
    `  curl -H 'Authorization: Bearer ${state.apiKey ?? '<key of 浙江省企业信用监管系统>'}' \\`,
    `    '${pz}/api/v1/federation/nodes/fj-350000/resources/<code>/rows?limit=5'`,
    `  (the code of 企业登记基本信息公示: search ${pn}/api/v1/catalog/search?q=企业登记&node=fj-350000)`,
    '',
    'FEDERATION DEMO READY — Ctrl-C stops all three nodes',
  ];
}
