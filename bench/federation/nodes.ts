// The federation benchmarks' nodes: platform processes from the build (`node dist/cli/main.js
// serve`), each on its own embedded store in a temporary data directory. The root is made so with
// `huitong federation init` before its first start; members join with `huitong federation join`
// and a token, start, and are approved through the root's API, as an operator does it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminPassword } from '../../test/multiprocess/platform.js';
import {
  type Client,
  call,
  freePort,
  login,
  type ServerProcess,
  startServer,
} from '../../test/multiprocess/server-process.js';
import { huitongCommand } from '../../test/support/cli-bundle.js';
import { TEST_OUTBOUND_ALLOW } from '../../test/support/services.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Builds the server if the sources changed, and makes the nodes run the build. */
export function buildServer(): void {
  const built = spawnSync(process.execPath, [join(ROOT, 'scripts/build-if-stale.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (built.status !== 0) throw new Error('the build failed');
  process.env.HUITONG_TEST_CLI = join(ROOT, 'dist/cli/main.js');
}

/** The answer's JSON, or an error naming the step when the status is not a success. */
export const must = async (promise: ReturnType<typeof call>, what: string) => {
  const response = await promise;
  if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.json)}`);
  return response.json;
};

/** `huitong …` on a stopped node's data directory. */
const cli = (dataDir: string, args: string[]) => {
  const { command, args: base } = huitongCommand();
  const { HUITONG_DATABASE_URL: _ignored, ...env } = process.env;
  execFileSync(command, [...base, ...args], {
    env: { ...env, HUITONG_DATA_DIR: dataDir, HUITONG_OUTBOUND_ALLOW: TEST_OUTBOUND_ALLOW.join(',') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
};

/** A running node: its process, URL, data directory and platform administrator's session. */
export interface BenchNode {
  nodeId: string;
  url: string;
  dir: string;
  server: ServerProcess;
  admin: Client;
}

/** What a node is in the federation. */
export interface NodeSpec {
  nodeId: string;
  region: string;
  name: string;
  level: 'national' | 'provincial' | 'city';
}

/** The benchmarks' nodes: the national node (the root) and two provinces. */
export const NATIONAL: NodeSpec = {
  nodeId: 'cn-100000',
  region: '100000',
  name: '国家节点',
  level: 'national',
};
export const ZHEJIANG: NodeSpec = {
  nodeId: 'zj-330000',
  region: '330000',
  name: '浙江省节点',
  level: 'provincial',
};
export const FUJIAN: NodeSpec = {
  nodeId: 'fj-350000',
  region: '350000',
  name: '福建省节点',
  level: 'provincial',
};

/** The nodes of one benchmark run: started, joined, and stopped and deleted at the end. */
export class Federation {
  readonly nodes: BenchNode[] = [];
  private readonly dirs: string[] = [];

  private readonly env: Record<string, string>;

  /** `env`: settings every node gets beside its data directory (the configuration refreshed every second, no rate limits, unless `env` says otherwise). */
  constructor(env: Record<string, string>) {
    this.env = {
      HUITONG_FEDERATION_REFRESH_SECONDS: '1',
      HUITONG_RATE_LIMIT_PER_IP: '100000000',
      HUITONG_RATE_LIMIT_PER_KEY: '100000000',
      ...env,
    };
  }

  private async start(spec: NodeSpec, dir: string, port: number): Promise<BenchNode> {
    // BENCH_NODE_OPTIONS: Node's options for the nodes only, e.g. `--cpu-prof --cpu-prof-dir=DIR`.
    const options: Record<string, string> = process.env.BENCH_NODE_OPTIONS
      ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS }
      : {};
    const server = await startServer({ ...this.env, ...options, HUITONG_DATA_DIR: dir }, 120_000, { port });
    const url = `http://127.0.0.1:${port}`;
    const node = {
      nodeId: spec.nodeId,
      url,
      dir,
      server,
      admin: await login(url, 'admin', adminPassword(server.output())),
    };
    this.nodes.push(node);
    return node;
  }

  private async place(spec: NodeSpec) {
    const dir = mkdtempSync(join(tmpdir(), `huitong-bench-fed-${spec.nodeId}-`));
    this.dirs.push(dir);
    const port = await freePort();
    return { dir, port, url: `http://127.0.0.1:${port}` };
  }

  private static identity(spec: NodeSpec, url: string) {
    return [
      '--node-id',
      spec.nodeId,
      '--region',
      spec.region,
      '--name',
      spec.name,
      '--level',
      spec.level,
      '--url',
      url,
    ];
  }

  /** The root (national) node, made the root before its first start. */
  async root(spec: NodeSpec, federation = '基准联邦'): Promise<BenchNode> {
    const { dir, port, url } = await this.place(spec);
    cli(dir, ['federation', 'init', '--federation', federation, ...Federation.identity(spec, url)]);
    return this.start(spec, dir, port);
  }

  /**
   * A member under `parent`: a join token from the root, `huitong federation join`, then
   * `beforeStart(dataDir)` on the stopped node (e.g. seeding its store), the start,
   * `beforeApproval(node)`, the root's approval at `approvedAt` (returned beside the node), and the wait until the member holds the
   * configuration that lists it as active.
   */
  async member(
    root: BenchNode,
    parent: BenchNode,
    spec: NodeSpec,
    beforeStart: (dataDir: string) => Promise<void> = async () => undefined,
    beforeApproval: (node: BenchNode) => void = () => undefined,
  ): Promise<{ node: BenchNode; approvedAt: number }> {
    const token = (
      await must(call(root.url, root.admin, 'POST', '/api/v1/federation/join-tokens', {}), 'token')
    ).token as string;
    const { dir, port, url } = await this.place(spec);
    cli(dir, [
      'federation',
      'join',
      root.url,
      '--token',
      token,
      ...Federation.identity(spec, url),
      '--parent',
      parent.nodeId,
    ]);
    await beforeStart(dir);
    const node = await this.start(spec, dir, port);
    beforeApproval(node);
    const approvedAt = performance.now();
    const { configVersion } = await must(
      call(root.url, root.admin, 'POST', `/api/v1/federation/members/${spec.nodeId}/decision`, {
        decision: 'approve',
      }),
      'approve',
    );
    await this.holding(configVersion ?? 0);
    return { node, approvedAt };
  }

  /** Waits until every node holds the configuration `version` (or a later one). */
  async holding(version: number): Promise<void> {
    for (const node of this.nodes)
      for (let held = 0; held < version; ) {
        held =
          (await must(call(node.url, node.admin, 'GET', '/api/v1/federation/node'), 'node')).config
            ?.version ?? 0;
        if (held < version) await new Promise((r) => setTimeout(r, 100));
      }
  }

  /** The CPU time a node's process has used so far, in seconds (Linux: /proc/<pid>/stat). */
  static cpuSeconds(node: BenchNode): number {
    const fields = readFileSync(`/proc/${node.server.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  /** Stops every node and deletes its data directory. */
  async close(): Promise<void> {
    for (const n of this.nodes) await n.server.stop();
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}
