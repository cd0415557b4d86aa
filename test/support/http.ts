import { createPrivateKey } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { type AuditLog, auditKeyFrom, createAuditLog, DEFAULT_ORIGIN } from '../../src/audit/index.js';
import { type Config, loadConfig } from '../../src/config/index.js';
import { type App, buildApp, CSRF_HEADER, SESSION_COOKIE } from '../../src/http/index.js';
import { outboundPolicyFromConfig } from '../../src/net/index.js';
import { createQueryContext, type QueryContext } from '../../src/query/index.js';
import { sandboxLimits, warningPublisherFrom } from '../../src/server/index.js';
import { createSourceRuntime, type SourceRuntime } from '../../src/sources/index.js';
import type { Store, StoreKind } from '../../src/store/index.js';
import { TEST_OUTBOUND_ALLOW } from './services.js';
import { openTestStore } from './store.js';

/** A test server: the app over its own store, and ways to call it as someone. */
export interface TestServer {
  app: App;
  config: Config;
  store: Store;
  audit: AuditLog;
  sources: SourceRuntime;
  query: QueryContext;
  close(): Promise<void>;
}

// A fixed Ed25519 key (PKCS#8 of the seed 0x01×32): tests need no key file.
const TEST_KEY_PEM =
  '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEB\n-----END PRIVATE KEY-----\n';

/** The credentials key of test servers (32 bytes, hex). */
export const TEST_SECRET_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

/** The audit key of test servers. */
export function testAuditKey() {
  return auditKeyFrom(DEFAULT_ORIGIN, createPrivateKey(TEST_KEY_PEM));
}

/**
 * Builds the app over a fresh store of `kind`, quiet, with generous rate limits, the test
 * suite's outbound allow-list (loopback) and catalog review off unless overridden. With `sharing`, over that server's
 * store schema instead, through a connection of its own: a second API process of the same platform.
 */
export async function openTestServer(
  kind: StoreKind,
  env: Record<string, string> = {},
  sharing?: TestServer,
): Promise<TestServer> {
  return openTestServerOn(await openTestStore(kind, sharing?.store), env);
}

/** The same over a store opened by the caller (a test that controls its connection); closing closes it. */
export async function openTestServerOn(store: Store, env: Record<string, string> = {}): Promise<TestServer> {
  const config: Config = loadConfig({
    HUITONG_LOG_LEVEL: 'silent',
    HUITONG_RATE_LIMIT_PER_IP: '100000',
    HUITONG_RATE_LIMIT_PER_KEY: '100000',
    HUITONG_DATA_DIR: mkdtempSync(join(tmpdir(), 'huitong-test-')),
    HUITONG_OUTBOUND_ALLOW: TEST_OUTBOUND_ALLOW.join(','),
    // Catalog review off unless a test asks for it (HUITONG_CATALOG_REVIEW: 'required'): the suites
    // that publish to set up their world publish at once; the review's own tests turn it on.
    HUITONG_CATALOG_REVIEW: 'off',
    ...env,
  });
  const audit = await createAuditLog(store, {
    key: testAuditKey(),
    checkpointEvery: 100,
    checkpointIntervalMs: 0,
  });
  const sources = createSourceRuntime({
    dataDir: config.HUITONG_DATA_DIR,
    secretKey: TEST_SECRET_KEY,
    connectTimeoutMs: 3000,
    outbound: outboundPolicyFromConfig(config),
  });
  const query = await createQueryContext({
    store,
    audit,
    sources,
    sandbox: sandboxLimits(config),
    verification: { perMinute: config.HUITONG_VERIFY_PER_MINUTE, perDay: config.HUITONG_VERIFY_PER_DAY },
    openDataMinK: config.HUITONG_OPEN_DATA_MIN_K,
    pushdown: config.HUITONG_QUERY_PUSHDOWN === 'on',
  });
  // As serve.ts: one publisher of alerts' changes when HUITONG_WARNING_NATS_URL is set.
  const warningPublisher = warningPublisherFrom(config);
  const app = await buildApp({ store, audit, config, sources, query, warningPublisher });
  await app.ready();
  return {
    app,
    config,
    store,
    audit,
    sources,
    query,
    close: async () => {
      await app.close();
      await warningPublisher?.close();
      await sources.close();
      await audit.close();
      await store.close();
    },
  };
}

/** Headers that authenticate as a logged-in user (cookie + CSRF token). */
export interface Credentials {
  headers: Record<string, string>;
}

/** Logs in through the API and returns headers for later requests. */
export async function loginAs(app: App, username: string, password: string): Promise<Credentials> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const session = response.cookies.find((c) => c.name === SESSION_COOKIE)!.value;
  return { headers: { cookie: `${SESSION_COOKIE}=${session}`, [CSRF_HEADER]: response.json().csrfToken } };
}

/** Headers that authenticate with an API key. */
export function bearer(key: string): Credentials {
  return { headers: { authorization: `Bearer ${key}` } };
}

/** The parsed JSON error code of a response. */
export function errorCode(response: LightMyRequestResponse): string | undefined {
  return response.json()?.error?.code;
}
