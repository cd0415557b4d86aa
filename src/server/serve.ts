import type { Config } from '../config/index.js';
import { loadDemoInBackground } from '../demo/index.js';
import { buildApp } from '../http/index.js';
import { ensureAdministrator } from './first-start.js';
import { openPlatform } from './open-platform.js';

/** Starts the platform: store, migrations, first administrator, HTTP server; stops cleanly on signals. */
export async function serve(config: Config): Promise<void> {
  const platform = await openPlatform(config);
  const { store } = platform;
  const admin = await ensureAdministrator(store.db);
  const app = await buildApp({ ...platform, config });
  const address = await app.listen({ port: config.HUITONG_PORT, host: config.HUITONG_HOST });
  const url = address.replace('[::1]', 'localhost');
  const lines = [
    `Huitong (汇通) is serving on ${url}`,
    `  API docs: ${url}/api/docs`,
    `  database: ${store.kind}`,
  ];
  if (admin) {
    lines.push(
      '',
      'First start: an administrator was created. This password is shown only now:',
      `  username: ${admin.username}`,
      `  password: ${admin.password}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  // ── The demo province (docs/demo.md): a fresh, empty store is filled through the API while the
  // server already answers, unless HUITONG_DEMO=0. Failures leave an empty platform, never a crash.
  if (admin && config.HUITONG_DEMO) {
    void loadDemoInBackground({ db: store.db, app, baseUrl: url, dataDir: config.HUITONG_DATA_DIR });
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    await app.close();
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
