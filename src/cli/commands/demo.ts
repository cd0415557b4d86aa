import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type Config, loadConfig } from '../../config/index.js';
import {
  accountLines,
  crossProvince,
  defaultFederationUrls,
  demoProfile,
  generateDemoData,
  injectFetch,
  loadDemo,
  PlatformClient,
  SCENARIOS,
  scenarioNames,
  serviceAllowEntries,
  serviceOptionsFromEnv,
} from '../../demo/index.js';
import { buildApp } from '../../http/index.js';
import { ensureAdministrator, openPlatform } from '../../server/index.js';
import { action } from '../run-action.js';
import { localServerUrl } from '../server-url.js';
import { runFederationDemo } from './demo-federation.js';

type Options = {
  services?: boolean;
  profile?: string;
  url?: string;
  federation?: boolean;
  dir?: string;
  ports?: string;
  baseUrl?: string;
  national?: string;
  fujian?: string;
  zhejiang?: string;
};

const CROSS_PROVINCE = 'cross-province';

// `--ports 8040,8041,8042`: the national node's, 福建's and 浙江's.
function parsePorts(value: string): number[] {
  const ports = value.split(',').map((p) => Number(p.trim()));
  if (ports.length !== 3 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535))
    throw new Error('--ports takes three ports: national,福建,浙江 (e.g. 8040,8041,8042)');
  return ports;
}

// The cross-province scenario runs against three nodes, not one server.
async function runCrossProvince(o: Options, profile: string | undefined): Promise<void> {
  const urls = defaultFederationUrls((o.baseUrl ?? 'http://127.0.0.1').replace(/:\d+\/?$|\/$/, ''));
  const outcome = await crossProvince(
    {
      national: o.national ?? urls.national,
      fujian: o.fujian ?? urls.fujian,
      zhejiang: o.zhejiang ?? urls.zhejiang,
    },
    // The citizens 福建's demo province was generated with (its profile), for the 核验 step.
    { planted: generateDemoData(demoProfile(profile)).planted },
  );
  process.stdout.write(
    `${outcome.title} (${outcome.name})\n${outcome.steps.map((s) => `  ${s}`).join('\n')}\n`,
  );
  process.stdout.write(outcome.ok ? 'OUTCOME: as expected\n' : 'OUTCOME: NOT as expected\n');
  if (!outcome.ok) process.exitCode = 1;
}

// Loads the demo into the configured store through the API of an in-process app (no port).
async function load(configured: Config, options: Options): Promise<void> {
  const services = options.services ? serviceOptionsFromEnv() : undefined;
  // The demo's databases are on this machine, which the outbound policy refuses unless allowed:
  // this run allows them, and says what `huitong serve` needs to reach them afterwards.
  const allow = services ? serviceAllowEntries(services) : [];
  const config: Config = {
    ...configured,
    HUITONG_OUTBOUND_ALLOW: [...new Set([...configured.HUITONG_OUTBOUND_ALLOW, ...allow])],
  };
  const platform = await openPlatform(config);
  try {
    const admin = await ensureAdministrator(platform.store.db);
    if (admin)
      process.stdout.write(`administrator created: ${admin.username} / ${admin.password} (shown only now)\n`);
    const app = await buildApp({ ...platform, config: { ...config, HUITONG_LOG_LEVEL: 'warn' } });
    await app.ready();
    try {
      const result = await loadDemo({
        db: platform.store.db,
        baseUrl: 'http://huitong.local',
        fetch: injectFetch(app),
        dataDir: config.HUITONG_DATA_DIR,
        profile: demoProfile(options.profile),
        services,
      });
      if (!result.loaded) {
        process.stdout.write('the demo is already loaded here (`huitong demo reset` loads it afresh)\n');
        return;
      }
      const lines = [
        `demo loaded in ${(result.elapsedMs / 1000).toFixed(1)} s`,
        ...result.report.lines(),
        '',
        ...accountLines(),
      ];
      const missing = allow.filter((e) => !configured.HUITONG_OUTBOUND_ALLOW.includes(e));
      if (missing.length > 0)
        lines.push(
          '',
          'The demo sources are on this machine: serve with',
          `  HUITONG_OUTBOUND_ALLOW=${config.HUITONG_OUTBOUND_ALLOW.join(',')}`,
        );
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await app.close();
    }
  } finally {
    await platform.close();
  }
}

/** `huitong demo [--federation]`, `huitong demo reset`, `huitong demo scenario NAME`. */
export function registerDemoCommands(program: Command): void {
  const demo = program
    .command('demo')
    .description('load the demo province (福建省): members, users, catalog, data, requests')
    .option(
      '--services',
      'also load 户籍 and 市场主体 data into PostgreSQL and MariaDB (database huitong_demo) as sources',
    )
    .option('--profile <profile>', 'small | default', 'default')
    .option(
      '--federation',
      'start three nodes (国家 100000, 福建 350000, 浙江 330000), join them and load the cross-province scenario; Ctrl-C stops them',
    )
    .option(
      '--dir <dir>',
      'with --federation: the base directory of the three data directories',
      './huitong-federation-demo',
    )
    .option('--ports <ports>', 'with --federation: national,福建,浙江 ports', '8040,8041,8042')
    .action(
      action(async (o: Options) => {
        if (o.federation)
          return runFederationDemo({
            dir: String(o.dir),
            ports: parsePorts(String(o.ports)),
            profile: o.profile,
          });
        return load(loadConfig(), o);
      }),
    );

  demo
    .command('reset')
    .description(
      'delete the embedded data directory’s database, sources and demo files, then load the demo afresh',
    )
    .option('--services', 'also load PostgreSQL and MariaDB')
    .option('--profile <profile>', 'small | default')
    .action(
      action(async (o: Options) => {
        const config = loadConfig();
        if (config.HUITONG_DATABASE_URL) {
          throw new Error(
            'reset works on the embedded store only; drop and recreate the PostgreSQL database yourself',
          );
        }
        // Opening takes the data directory's lock, so a running server makes this fail before anything is deleted.
        await (await openPlatform(config)).close();
        for (const part of ['pglite', 'sources', 'demo', 'tmp']) {
          await rm(join(config.HUITONG_DATA_DIR, part), { recursive: true, force: true });
        }
        process.stdout.write(`cleared ${config.HUITONG_DATA_DIR}\n`);
        await load(config, {
          ...demo.opts<Options>(),
          ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
        });
      }),
    );

  demo
    .command('scenario <name>')
    .description(
      `run a scenario against a running server through its API: ${[...scenarioNames(), CROSS_PROVINCE].join(', ')} (${CROSS_PROVINCE}: against \`huitong demo --federation\`)`,
    )
    .option('--url <url>', 'the server (default: HUITONG_HOST and HUITONG_PORT, as `serve` listens)')
    .option(
      '--base-url <url>',
      `${CROSS_PROVINCE}: the host of the three nodes on 8040, 8041, 8042 (default http://127.0.0.1)`,
    )
    .option('--national <url>', `${CROSS_PROVINCE}: the national node`)
    .option('--fujian <url>', `${CROSS_PROVINCE}: the 福建 node`)
    .option('--zhejiang <url>', `${CROSS_PROVINCE}: the 浙江 node`)
    .option('--profile <profile>', 'the profile the server’s demo was loaded with (default: default)')
    .action(
      action(async (name: string, o: Options) => {
        if (name === CROSS_PROVINCE) return runCrossProvince(o, o.profile ?? demo.opts<Options>().profile);
        const scenario = SCENARIOS[name];
        if (!scenario) throw new Error(`no scenario "${name}"; choose one of ${scenarioNames().join(', ')}`);
        // Commander may hand --profile to the parent `demo` command, which declares it too.
        const planted = generateDemoData(demoProfile(o.profile ?? demo.opts<Options>().profile)).planted;
        const outcome = await scenario({
          client: new PlatformClient((o.url ?? localServerUrl()).replace(/\/$/, '')),
          planted,
        });
        process.stdout.write(
          `${outcome.title} (${outcome.name})\n${outcome.steps.map((s) => `  ${s}`).join('\n')}\n`,
        );
        process.stdout.write(outcome.ok ? 'OUTCOME: as expected\n' : 'OUTCOME: NOT as expected\n');
        if (!outcome.ok) process.exitCode = 1;
      }),
    );
}
