import type { Config } from '../config/index.js';
import { VERSION } from '../config/index.js';
import type { DemoStatus } from '../http/index.js';
import type { InitialAdministrator } from './first-start.js';

/** What the start-up banner reports. */
export interface BannerFacts {
  url: string;
  config: Pick<
    Config,
    'HUITONG_DATA_DIR' | 'HUITONG_DATABASE_URL' | 'HUITONG_LOG_REQUESTS' | 'HUITONG_LOG_FILE'
  >;
  /** The administrator created on this (first) start, whose password is shown only here. */
  admin?: InitialAdministrator;
  demo: DemoStatus;
  /** The PostgreSQL wire protocol's port, when it listens. */
  pgWirePort?: number;
}

// A PostgreSQL URL without its password (the banner is often pasted into tickets).
function databaseLine(config: BannerFacts['config']): string {
  if (!config.HUITONG_DATABASE_URL) return `PGlite (embedded) in ${config.HUITONG_DATA_DIR}`;
  try {
    const url = new URL(config.HUITONG_DATABASE_URL);
    return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'PostgreSQL';
  }
}

const DEMO_LINES: Record<DemoStatus, string> = {
  loading:
    'loading the demo province (福建省) in the background; GET /api/health says "demo":"ready" when done',
  ready: 'the demo province is loaded (demo accounts: docs/demo.md)',
  failed: 'the demo could not be loaded (see the message below)',
  off: 'not loaded (HUITONG_DEMO=0, or the store already held data)',
};

/**
 * The start-up banner: where the platform answers, its database, the first administrator's
 * one-time password, the demo, and where the logs go. Request logs are off unless asked, so this
 * stays on the screen instead of scrolling away under the console's requests.
 */
export function startupBanner(facts: BannerFacts): string {
  const { url, config, admin } = facts;
  const rule = '─'.repeat(72);
  const logs = config.HUITONG_LOG_FILE
    ? `JSON log in ${config.HUITONG_LOG_FILE}`
    : 'JSON log on standard output';
  const requests = config.HUITONG_LOG_REQUESTS
    ? 'each request logged at info level'
    : 'requests not logged (HUITONG_LOG_REQUESTS=1 logs each at info level)';
  const lines = [
    rule,
    `Huitong (汇通) ${VERSION} is serving on ${url}`,
    `  console:   ${url}/`,
    `  API docs:  ${url}/api/docs   (OpenAPI: ${url}/api/openapi.json)`,
    ...(facts.pgWirePort
      ? [
          `  PostgreSQL clients: port ${facts.pgWirePort} (psql -h ${new URL(url).hostname} -p ${facts.pgWirePort} -U <application name> huitong, password: its key; docs/pg-wire.md)`,
        ]
      : []),
    `  database:  ${databaseLine(config)}`,
    `  demo:      ${DEMO_LINES[facts.demo]}`,
    `  logs:      ${logs}; ${requests}`,
  ];
  if (admin) {
    lines.push(
      '',
      'First start: an administrator was created. Its password is shown only here, once;',
      `sign in at ${url}/login and keep it safe (it is stored only as a hash):`,
      `  username: ${admin.username}`,
      `  password: ${admin.password}`,
    );
  } else {
    lines.push('', 'Administrator: the accounts already in the store (none is created on a later start).');
  }
  lines.push(rule);
  return `${lines.join('\n')}\n`;
}
