import { randomUUID } from 'node:crypto';
import { type Config, VERSION } from '../config/index.js';
import { demoLoaded, loadDemoInBackground } from '../demo/index.js';
import {
  loadNodeKey,
  requireNode,
  startCatalogReporter,
  startConfigRefresh,
  startRemoteRequestFollower,
  startWitness,
} from '../federation/index.js';
import { type App, buildApp, type DemoStatus } from '../http/index.js';
import { outboundPolicyFromConfig } from '../net/index.js';
import { startTracing } from '../observability/index.js';
import { startPgWireFromConfig } from '../pg-wire/index.js';
import { isStoreConnectionError, migrate } from '../store/index.js';
import { startBackups } from './backups.js';
import { startupBanner } from './banner.js';
import { startDeadlineSweeps } from './deadlines.js';
import { startDeliverySchedules } from './delivery-schedules.js';
import { describeError, exitOnFatal } from './fatal.js';
import { ensureAdministrator } from './first-start.js';
import { startMetricsPort } from './metrics-port.js';
import { openAuditLog } from './open-audit-log.js';
import { assemblePlatform, type Platform, recoverPlatform } from './open-platform.js';
import { openPlatformStore } from './open-platform-store.js';
import { startQualitySweeps } from './quality.js';
import { startSubscriptionDelivery } from './subscriptions.js';
import { startWarning, warningPublisherFrom } from './warning.js';

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

/** What the readiness check reads of the server's own state. */
interface ServerState {
  ready: boolean;
  draining: boolean;
}

/**
 * SIGTERM/SIGINT: /api/health/ready answers 503 at once; after HUITONG_SHUTDOWN_DELAY_SECONDS
 * (load balancers take the process out meanwhile) stop accepting (new requests on open
 * connections get 503), let in-flight requests finish for HUITONG_SHUTDOWN_GRACE_SECONDS, then
 * cut the rest (each cut release gets its `cut` completion entry), close the audit log and the
 * store, flush the last spans. A second signal ends the delay and cuts at once.
 */
function stopOnSignals(
  app: App,
  platform: Platform,
  config: Config,
  state: ServerState,
  close: { beforeStore: () => Promise<void>; after: () => Promise<void> },
): void {
  let stopping = false;
  const graceMs = config.HUITONG_SHUTDOWN_GRACE_SECONDS * 1000;
  const delayMs = config.HUITONG_SHUTDOWN_DELAY_SECONDS * 1000;
  let endDelay = () => {};
  let closing = false;
  const cut = (why: string) => {
    app.log.warn({ openReleases: platform.audit.openReleases() }, `${why}: cutting in-flight requests`);
    platform.audit.cutReleases();
    app.server.closeAllConnections();
  };
  const stop = async (signal: string) => {
    if (stopping) {
      endDelay();
      // Before the close the cut waits for it (closeAllConnections would let new ones in).
      return closing ? cut(`second ${signal}`) : undefined;
    }
    stopping = true;
    state.draining = true;
    app.log.info(
      {
        signal,
        delaySeconds: config.HUITONG_SHUTDOWN_DELAY_SECONDS,
        graceSeconds: config.HUITONG_SHUTDOWN_GRACE_SECONDS,
      },
      'stopping',
    );
    let cutNow = false;
    if (delayMs > 0)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delayMs);
        endDelay = () => {
          cutNow = true;
          clearTimeout(timer);
          resolve();
        };
      });
    closing = true;
    const grace = setTimeout(() => cut('shutdown grace ran out'), cutNow ? 0 : graceMs);
    // Whatever still hangs well after the cut (a stuck store) does not hold the process.
    setTimeout(() => {
      app.log.fatal('shutdown did not finish after the cut; exiting');
      process.exit(1);
    }, graceMs + 15_000).unref();
    await app.close();
    clearTimeout(grace);
    // Scheduled backups end (or finish the one under way) while the store is still open.
    await close.beforeStore().catch(() => undefined);
    await platform.close({ releaseGraceMs: 2000 });
    await close.after().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Starts the platform: store, migrations, first administrator, HTTP server; stops cleanly on signals. */
export async function serve(config: Config): Promise<void> {
  exitOnFatal();
  // Spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise no SDK at all.
  const tracing = await startTracing(process.env, { serviceVersion: VERSION });
  // This process's name in pg_stat_activity and in its release entries (see closeInterruptedReleases).
  const instance = `huitong/${randomUUID()}`;
  const store = await openPlatformStore(config, { migrate: false, applicationName: instance });
  const platform = await assemblePlatform(store, config, await openAuditLog(store, config, instance));
  const state: ServerState = { ready: false, draining: false };
  let demo: DemoStatus = 'off';
  const warningPublisher = warningPublisherFrom(config);
  const app = await buildApp({
    ...platform,
    config,
    warningPublisher,
    ready: () => state.ready,
    draining: () => state.draining,
    demo: () => demo,
  });
  store.availability.onChange((up, error) => {
    if (up) app.log.info('metadata store answers again; serving');
    else
      app.log.warn(
        { error: describeError(error, { stack: false }) },
        'metadata store unavailable; answering 503',
      );
  });
  const address = await app.listen({ port: config.HUITONG_PORT, host: config.HUITONG_HOST });
  const metricsPort =
    config.HUITONG_METRICS_PORT === undefined
      ? undefined
      : await startMetricsPort(config.HUITONG_METRICS_PORT);
  const closers: (() => Promise<void>)[] = [];
  stopOnSignals(app, platform, config, state, {
    beforeStore: async () => {
      for (const close of closers) await close().catch(() => undefined);
    },
    after: async () => {
      metricsPort?.close();
      await tracing?.shutdown();
    },
  });

  // Over PostgreSQL the server listens (and answers 503) before its store answers, and prepares
  // the store when it does; PGlite answers at once.
  const { admin, recovered } = await untilStoreAnswers(app, async () => {
    await migrate(store);
    const recovered = await recoverPlatform(platform);
    return { admin: await ensureAdministrator(store.db), recovered };
  });
  // The PostgreSQL wire protocol (HUITONG_PG_PORT, 0: off), once the store is prepared.
  // A port already taken is reported, not fatal: the HTTP API serves on.
  const pgWire = await startPgWireFromConfig(config, platform).catch((error: unknown) => {
    app.log.error({ error: describeError(error, { stack: false }) }, 'PostgreSQL wire protocol not started');
    return undefined;
  });
  if (pgWire) {
    closers.push(() => pgWire.close());
    app.log.info({ port: pgWire.port }, 'PostgreSQL wire protocol listening');
  }
  if (recovered.interruptedReleases > 0)
    app.log.warn(
      { releases: recovered.interruptedReleases },
      'closed releases a previous process left open (status interrupted)',
    );
  if (recovered.sealedHeldAnswers > 0)
    app.log.info({ reviews: recovered.sealedHeldAnswers }, 'sealed held sandbox answers stored in clear');
  // ── The demo province (docs/demo.md): a fresh, empty store is filled through the API while the
  // server already answers, unless HUITONG_DEMO=0. Failures leave an empty platform, never a crash.
  const loadDemo = Boolean(admin && config.HUITONG_DEMO);
  demo = loadDemo ? 'loading' : (await demoLoaded(store.db).catch(() => false)) ? 'ready' : 'off';
  state.ready = true;
  // Not awaited: the start's banner (the first administrator's password) follows readiness at once.
  const backups = startBackups(platform, config, app.log);
  backups.catch((error) => app.log.error({ error: describeError(error) }, 'backups did not start'));
  closers.push(async () => (await backups)());
  const sweeps = startDeadlineSweeps(platform, config, app.log);
  closers.push(async () => sweeps.stop());
  const quality = startQualitySweeps(platform, config, app.log);
  closers.push(async () => quality.stop());
  const stopWarning = startWarning(platform, config, app.log, warningPublisher);
  closers.push(async () => stopWarning());
  const stopDelivery = startSubscriptionDelivery(platform, config, app.log);
  closers.push(stopDelivery);
  closers.push(startDeliverySchedules(platform, config, app.log));
  const stopFederation = startConfigRefresh(
    store.db,
    outboundPolicyFromConfig(config),
    config.HUITONG_FEDERATION_REFRESH_SECONDS,
    (error) =>
      app.log.warn(
        { error: describeError(error, { stack: false }) },
        'federation configuration not refreshed',
      ),
  );
  closers.push(async () => stopFederation());
  if (config.HUITONG_FEDERATION_WITNESS_SECONDS > 0) {
    const stopWitness = startWitness(
      {
        db: store.db,
        policy: outboundPolicyFromConfig(config),
        nodeKey: async () => (await loadNodeKey(config.HUITONG_DATA_DIR)).key,
        audit: platform.audit,
      },
      config.HUITONG_FEDERATION_WITNESS_SECONDS,
      (error) =>
        app.log.warn({ error: describeError(error, { stack: false }) }, 'federation witness round failed'),
    );
    closers.push(async () => stopWitness());
  }
  // A member node with a parent reports its catalog changes up (目录上报); the others idle.
  let nodeKey: ReturnType<typeof loadNodeKey> | undefined;
  const stopReporting = startCatalogReporter(
    store.db,
    outboundPolicyFromConfig(config),
    async () => {
      nodeKey ??= loadNodeKey(config.HUITONG_DATA_DIR);
      return (await nodeKey).key;
    },
    config.HUITONG_FEDERATION_REPORT_SECONDS,
    (error) =>
      app.log.warn({ error: describeError(error, { stack: false }) }, 'federation catalog not reported'),
  );
  closers.push(async () => stopReporting());
  // Remote access requests (跨节点共享申请) still pending: their provider nodes are asked for a
  // decision at the configuration's refresh interval.
  const stopFollowing = startRemoteRequestFollower(
    {
      db: store.db,
      audit: platform.audit,
      outbound: outboundPolicyFromConfig(config),
      signer: async () => {
        nodeKey ??= loadNodeKey(config.HUITONG_DATA_DIR);
        return { nodeId: (await requireNode(store.db)).node_id, key: (await nodeKey).key };
      },
    },
    config.HUITONG_FEDERATION_REFRESH_SECONDS,
    (error) =>
      app.log.warn({ error: describeError(error, { stack: false }) }, 'remote access requests not followed'),
  );
  closers.push(async () => stopFollowing());

  const url = address.replace('[::1]', 'localhost');
  process.stdout.write(startupBanner({ url, config, admin, demo, pgWirePort: pgWire?.port }));
  if (loadDemo) {
    void loadDemoInBackground({ db: store.db, app, baseUrl: url, dataDir: config.HUITONG_DATA_DIR }).then(
      (loaded) => {
        demo = loaded ? 'ready' : 'failed';
        // The demo's overdue request is escalated, and its resources scored, now rather than at
        // the next sweeps.
        if (loaded)
          void sweeps
            .sweepNow()
            .catch(() => undefined)
            .then(() => quality.sweepNow());
      },
    );
  }
}
