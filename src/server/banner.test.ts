import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from '../../test/support/http.js';
import { until } from '../../test/support/poll.js';
import { localServerUrl } from '../cli/server-url.js';
import { buildApp, type DemoStatus } from '../http/index.js';
import { startupBanner } from './banner.js';

const config = {
  HUITONG_DATA_DIR: '/var/lib/huitong',
  HUITONG_DATABASE_URL: undefined,
  HUITONG_LOG_REQUESTS: false,
  HUITONG_LOG_FILE: undefined,
};

describe('the start-up banner', () => {
  it('says where the platform answers, its database, the demo, the logs and the one-time password', () => {
    const banner = startupBanner({
      url: 'http://127.0.0.1:8040',
      config,
      admin: { username: 'admin', password: 'Secret-Once-1234' },
      demo: 'loading',
      pgWirePort: 8432,
    });
    expect(banner).toContain('is serving on http://127.0.0.1:8040\n');
    expect(banner).toContain(
      'PostgreSQL clients: port 8432 (psql -h 127.0.0.1 -p 8432 -U <application name> huitong',
    );
    expect(banner).toContain('console:   http://127.0.0.1:8040/\n');
    expect(banner).toContain('database:  PGlite (embedded) in /var/lib/huitong\n');
    expect(banner).toContain(
      'demo:      loading the demo province (福建省) in the background; GET /api/health',
    );
    expect(banner).toContain('requests not logged (HUITONG_LOG_REQUESTS=1 logs each at info level)');
    expect(banner).toMatch(/shown only here, once;\nsign in at http:\/\/127.0.0.1:8040\/login/);
    expect(banner).toContain('  username: admin\n  password: Secret-Once-1234\n');
  });

  it('names a PostgreSQL server without its password, a log file, and no administrator on a later start', () => {
    const banner = startupBanner({
      url: 'http://10.0.0.5:8040',
      config: {
        ...config,
        HUITONG_DATABASE_URL: 'postgres://huitong:s3cret@db.internal:5433/huitong',
        HUITONG_LOG_REQUESTS: true,
        HUITONG_LOG_FILE: '/var/log/huitong.log',
      },
      demo: 'ready',
    });
    expect(banner).toContain('database:  PostgreSQL db.internal:5433/huitong\n');
    expect(banner).not.toContain('s3cret');
    expect(banner).toContain(
      'logs:      JSON log in /var/log/huitong.log; each request logged at info level',
    );
    expect(banner).toContain('demo:      the demo province is loaded');
    expect(banner).not.toContain('password:');
  });

  it('gives the CLI the address `serve` listens on (HUITONG_HOST, HUITONG_PORT)', () => {
    expect(localServerUrl({})).toBe('http://127.0.0.1:8040');
    expect(localServerUrl({ HUITONG_PORT: '9001' })).toBe('http://127.0.0.1:9001');
    expect(localServerUrl({ HUITONG_HOST: '0.0.0.0', HUITONG_PORT: '9002' })).toBe('http://127.0.0.1:9002');
    expect(localServerUrl({ HUITONG_HOST: '::1', HUITONG_PORT: '9003' })).toBe('http://[::1]:9003');
  });
});

describe('health and request logs', () => {
  let server: TestServer;
  let demo: DemoStatus = 'loading';
  beforeAll(async () => {
    server = await openTestServer('pglite');
  });
  afterAll(() => server.close());

  it('reports the demo as loading, then ready, in /api/health', async () => {
    const app = await buildApp({ ...server, demo: () => demo });
    try {
      expect((await app.inject({ url: '/api/health' })).json()).toMatchObject({
        status: 'ok',
        demo: 'loading',
      });
      demo = 'ready';
      expect((await app.inject({ url: '/api/health' })).json().demo).toBe('ready');
    } finally {
      await app.close();
    }
    expect((await server.app.inject({ url: '/api/health' })).json().demo).toBe('off');
  });

  it('logs requests at info level only with HUITONG_LOG_REQUESTS=1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huitong-log-'));
    const logged = async (logRequests: boolean) => {
      const file = join(dir, `${logRequests}.log`);
      const config = {
        ...server.config,
        HUITONG_LOG_LEVEL: 'info' as const,
        HUITONG_LOG_REQUESTS: logRequests,
        HUITONG_LOG_FILE: file,
      };
      const app = await buildApp({ ...server, config });
      await app.inject({ url: '/api/health' });
      app.log.info('marker: end of test');
      await app.close();
      return until(`${file} written`, () => {
        const text = readFileSync(file, 'utf8');
        return text.includes('marker: end of test') && text;
      });
    };
    expect(await logged(false)).not.toMatch(/incoming request|request completed/);
    expect(await logged(true)).toMatch(/request completed/);
  });
});
