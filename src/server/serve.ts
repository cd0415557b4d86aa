import { randomUUID } from 'node:crypto';
import type { Config } from '../config/index.js';
import { loadDemoInBackground } from '../demo/index.js';
import { type App, buildApp } from '../http/index.js';
import { isStoreConnectionError, migrate } from '../store/index.js';
import { startBackups } from './backups.js';
import { describeError, exitOnFatal } from './fatal.js';
import { ensureAdministrator } from './first-start.js';
import { openAuditLog } from './open-audit-log.js';
import { assemblePlatform, type Platform, recoverPlatform } from './open-platform.js';
import { openPlatformStore } from './open-platform-store.js';

// Also an audit append that failed because the store was away (its cause is the driver's error).
const storeAway = (error: unknown) =>
  isStoreConnectionError(error) || isStoreConnectionError((error as { cause?: unknown })?.cause);

/**
 * Runs `work` until it succeeds, waiting out a metadata store that is not there yet (a server
 * started before its PostgreSQL, or during a failover). Any other failure ends the start.
 */
async function untilStoreAnswers<T>(app: App, work: () => Promise<T>): Promise<T> {
  let logged = 0;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!storeAway(error)) throw error;
      if (Date.now() - logged > 10_000) {
        app.log.warn(
          { error: describeError(error, { stack: false }) },
          'metadata store unavailable; retrying (503 until then)',
        );
        logged = Date.now();
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/**
 * SIGTERM/SIGINT: stop accepting (new requests on open connections get 503), let in-flight
 * requests finish for HUITONG_SHUTDOWN_GRACE_SECONDS, then cut the rest (each cut release gets
 * its `cut` completion entry), close the audit log and the store. A second signal cuts at once.
 */
function stopOnSignals(app: App, platform: Platform, config: Config, closers: (() => Promise<void>)[]): void {
  let stopping = false;
  const graceMs = config.HUITONG_SHUTDOWN_GRACE_SECONDS * 1000;
  const cut = (why: string) => {
    app.log.warn({ openReleases: platform.audit.openReleases() }, `${why}: cutting in-flight requests`);
    platform.audit.cutReleases();
    app.server.closeAllConnections();
  };
  const stop = async (signal: string) => {
    if (stopping) return cut(`second ${signal}`);
    stopping = true;
    app.log.info({ signal, graceSeconds: config.HUITONG_SHUTDOWN_GRACE_SECONDS }, 'stopping');
    const grace = setTimeout(() => cut('shutdown grace ran out'), graceMs);
    // Whatever still hangs well after the cut (a stuck store) does not hold the process.
    setTimeout(() => {
      app.log.fatal('shutdown did not finish after the cut; exiting');
      process.exit(1);
    }, graceMs + 15_000).unref();
    await app.close();
    clearTimeout(grace);
    for (const close of closers) await close().catch(() => undefined);
    await platform.close({ releaseGraceMs: 2000 });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Starts the platform: store, migrations, first administrator, HTTP server; stops cleanly on signals. */
export async function serve(config: Config): Promise<void> {
  exitOnFatal();
  // This process's name in pg_stat_activity and in its release entries (see closeInterruptedReleases).
  const instance = `huitong/${randomUUID()}`;
  const store = await openPlatformStore(config, { migrate: false, applicationName: instance });
  const platform = await assemblePlatform(store, config, await openAuditLog(store, config, instance));
  let ready = false;
  const app = await buildApp({ ...platform, config, ready: () => ready });
  store.availability.onChange((up, error) => {
    if (up) app.log.info('metadata store answers again; serving');
    else
      app.log.warn(
        { error: describeError(error, { stack: false }) },
        'metadata store unavailable; answering 503',
      );
  });
  const address = await app.listen({ port: config.HUITONG_PORT, host: config.HUITONG_HOST });
  const closers: (() => Promise<void>)[] = [];
  stopOnSignals(app, platform, config, closers);

  // Over PostgreSQL the server listens (and answers 503) before its store answers, and prepares
  // the store when it does; PGlite answers at once.
  const { admin, recovered } = await untilStoreAnswers(app, async () => {
    await migrate(store);
    const recovered = await recoverPlatform(platform);
    return { admin: await ensureAdministrator(store.db), recovered };
  });
  if (recovered.interruptedReleases > 0)
    app.log.warn(
      { releases: recovered.interruptedReleases },
      'closed releases a previous process left open (status interrupted)',
    );
  ready = true;
  // Not awaited: the start's banner (the first administrator's password) follows readiness at once.
  const backups = startBackups(platform, config, app.log);
  backups.catch((error) => app.log.error({ error: describeError(error) }, 'backups did not start'));
  closers.push(async () => (await backups)());

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
}
