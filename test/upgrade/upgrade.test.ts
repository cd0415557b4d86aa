import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { createAuditLog } from '../../src/audit/index.js';
import { hashPassword } from '../../src/identity/passwords.js';
import { sealClearHeldRows } from '../../src/query/index.js';
import {
  type Database,
  dropSchema,
  LATEST_MIGRATION,
  MIGRATION_NAMES,
  migrateTo,
  openStore,
  type Store,
  type StoreKind,
  schemaVersion,
} from '../../src/store/index.js';
import { type Credentials, loginAs, openTestServer, type TestServer, testAuditKey } from '../support/http.js';
import { SERVICES } from '../support/services.js';
import { describeEachStore, sharedPglite } from '../support/store.js';

// Upgrades keep the data: a store at an earlier schema, filled as the platform of that time would
// have filled it, is migrated to HEAD by a server starting on it; everything still reads, logs in
// and verifies, and no migration rewrites or deletes a row of the audit tables.
//
// The starting points: the schema of the newest release tag (v*), when there is one and it is
// older than HEAD (docs/deployment.md, "Releases"), and always the two schemas before HEAD.

const ROOT = new URL('../..', import.meta.url).pathname;

/** The newest migration of the newest v* tag, if the clone has tags; undefined otherwise. */
function releasedSchema(): { tag: string; schema: string } | undefined {
  try {
    const tag = execFileSync('git', ['tag', '--list', 'v*', '--sort=-v:refname'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')[0]
      ?.trim();
    if (!tag) return undefined;
    const index = execFileSync('git', ['show', `${tag}:src/store/migrations/index.ts`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const names = [...index.matchAll(/'(\d{4}-[a-z0-9-]+)':/g)].map((m) => m[1]!);
    return names.length ? { tag, schema: names.at(-1)! } : undefined;
  } catch {
    return undefined;
  }
}

const released = releasedSchema();
const STARTS = [
  ...(released && released.schema !== LATEST_MIGRATION
    ? [{ name: `release ${released.tag}`, schema: released.schema }]
    : []),
  { name: 'HEAD~1 schema', schema: MIGRATION_NAMES.at(-2)! },
  { name: 'HEAD~2 schema', schema: MIGRATION_NAMES.at(-3)! },
];

/** A digest of every row of the audit tables, in their order: equal before and after means untouched. */
async function auditDigest(db: Kysely<Database>): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const [table, order] of [
    ['audit_entries', 'idx'],
    ['audit_nodes', 'level, idx'],
    ['audit_checkpoints', 'id'],
    ['audit_head', 'id'],
  ] as const) {
    const { rows } = await sql<{ d: string | null; n: number }>`
      SELECT md5(string_agg(row_to_json(t)::text, E'\n' ORDER BY ${sql.raw(order)})) AS d, count(*)::int AS n
      FROM ${sql.table(table)} t`.execute(db);
    digests[table] = `${rows[0]!.n}:${rows[0]!.d}`;
  }
  return digests;
}

/** A store in a schema of its own, not migrated: the test decides how far. */
async function bareStore(kind: StoreKind): Promise<Store> {
  const schema = `up_${randomBytes(6).toString('hex')}`;
  return kind === 'postgres'
    ? openStore({ databaseUrl: SERVICES.postgres.url, schema, maxConnections: 4 })
    : openStore({ pglite: await sharedPglite(), schema });
}

/**
 * What the platform of an older schema wrote, in plain SQL of the tables as they were since
 * 0001/0003 (identity) and through the audit log: an organisation, an auditor and a steward,
 * and audit entries with checkpoints.
 */
async function fillOldStore(store: Store, password: string) {
  const orgId = randomUUID();
  const now = new Date();
  await sql`INSERT INTO organizations (id, name, kind, level, region_code, created_at, updated_at)
    VALUES (${orgId}, ${`升级测试单位-${orgId.slice(0, 6)}`}, 'department', 'provincial', '350000', ${now}, ${now})`.execute(
    store.db,
  );
  const users: Record<string, string> = {};
  for (const role of ['auditor', 'data_steward']) {
    const username = `${role}-${orgId.slice(0, 6)}`;
    await sql`INSERT INTO users (id, org_id, username, display_name, password_hash, roles, created_at)
      VALUES (${randomUUID()}, ${orgId}, ${username}, ${role}, ${await hashPassword(password)},
        ${sql.raw(`ARRAY['${role}']::text[]`)}, ${now})`.execute(store.db);
    users[role] = username;
  }
  const audit = await createAuditLog(store, {
    key: testAuditKey(),
    checkpointEvery: 5,
    checkpointIntervalMs: 0,
  });
  for (let i = 0; i < 23; i++)
    await audit.append({
      type: i === 0 ? 'organization.created' : 'user.login',
      actor: { kind: 'system', id: 'old-release', orgId },
      data: { i },
    });
  await audit.close();
  return { orgId, users };
}

/** A value of a held answer that no query text carries: found in the table, it was stored in clear. */
const HELD_CANARY = 'held-canary-5e1d9a';

/**
 * A sandbox answer held for release review as 0012/0013 stored it: its rows in clear (`rows`), which
 * migration 0015 leaves, without the key, for the platform's start to seal.
 */
async function holdInClear(store: Store, orgId: string): Promise<string> {
  const id = randomUUID();
  const report = { outcome: 'held_for_review', minGroupSize: 10, suppressedRows: 0, checks: [] };
  await sql`INSERT INTO release_reviews (id, provider_id, consumer_org_id, requester, resources, grant_ids,
      sql, aliases, columns, rows, report, status)
    VALUES (${id}, ${orgId}, ${randomUUID()}, ${`user:${randomUUID()}`}, '[]', '[]', 'SELECT qh, max(je) FROM t GROUP BY qh',
      '{}', ${JSON.stringify([{ name: 'qh', type: 'string' }])},
      ${JSON.stringify([[HELD_CANARY], ['其他']])}, ${JSON.stringify(report)}, 'pending')`.execute(store.db);
  return id;
}

/**
 * The answer held in clear keeps its count through 0015, and is sealed when the platform starts
 * (serve's recoverPlatform): afterwards the table holds no value of it.
 */
async function expectSealedOnStart(server: TestServer, steward: Credentials, reviewId: string) {
  const review = await server.app.inject({
    url: `/api/v1/release-reviews/${reviewId}`,
    headers: steward.headers,
  });
  expect(review.statusCode, review.body).toBe(200);
  expect(review.json().rows).toBe(2);
  const atRest = async () =>
    (
      await sql<{ text: string }>`SELECT row_to_json(r)::text AS text FROM release_reviews r
        WHERE r.id = ${reviewId}`.execute(server.store.db)
    ).rows[0]!.text;
  expect(await atRest()).toContain(HELD_CANARY);
  expect(await sealClearHeldRows(server.store.db, server.query.heldRowsKey)).toBe(1);
  expect(await atRest()).not.toContain(HELD_CANARY);
}

describeEachStore('upgrade from an earlier schema', (kind) => {
  const servers: TestServer[] = [];
  const stores: Store[] = [];
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const store of stores) {
      await dropSchema(store, store.schema).catch(() => undefined);
      await store.close();
    }
  });

  for (const start of STARTS) {
    it(`upgrades a store at the ${start.name} (${start.schema}) to ${LATEST_MIGRATION}: everything reads and verifies`, async () => {
      const store = await bareStore(kind);
      stores.push(store);
      await migrateTo(store, start.schema);
      expect(await schemaVersion(store)).toBe(start.schema);
      const password = `pw-${randomBytes(6).toString('hex')}`;
      const { orgId, users } = await fillOldStore(store, password);
      // A release tag older than release reviews (0012) has no such table to fill; from 0015 on the
      // platform stores held answers sealed, so an answer in clear is only ever older than it.
      const at = MIGRATION_NAMES.indexOf(start.schema);
      const reviewId =
        at >= MIGRATION_NAMES.indexOf('0012-release-reviews') &&
        at < MIGRATION_NAMES.indexOf('0015-sealed-held-results')
          ? await holdInClear(store, orgId)
          : undefined;
      const before = await auditDigest(store.db);

      // A server starting on it migrates it (openTestStore runs the migrations, as serve does).
      const server = await openTestServer(kind, {}, { store } as unknown as TestServer);
      servers.push(server);
      expect(await schemaVersion(server.store)).toBe(LATEST_MIGRATION);
      expect(await auditDigest(server.store.db)).toEqual(before);

      const auditor = await loginAs(server.app, users.auditor!, password);
      const steward = await loginAs(server.app, users.data_steward!, password);
      const org = await server.app.inject({
        url: `/api/v1/organizations/${orgId}`,
        headers: steward.headers,
      });
      expect(org.statusCode, org.body).toBe(200);
      if (reviewId) await expectSealedOnStart(server, steward, reviewId);
      const verified = await server.app.inject({
        method: 'POST',
        url: '/api/v1/audit/verify',
        headers: auditor.headers,
        payload: {},
      });
      expect(verified.statusCode, verified.body).toBe(200);
      expect(verified.json().ok, verified.body).toBe(true);
      // The two logins were appended after the old entries, on the same tree.
      expect(verified.json().report.treeSize).toBeGreaterThanOrEqual(25);
      const deep = await server.audit.verify({ deep: true });
      expect(deep.ok, JSON.stringify(deep.problem)).toBe(true);
    }, 120_000);
  }

  it('applies every migration after the audit log exists without rewriting or deleting an audit row', async () => {
    const store = await bareStore(kind);
    stores.push(store);
    const first = MIGRATION_NAMES.indexOf('0003-audit');
    await migrateTo(store, MIGRATION_NAMES[first]!);
    const audit = await createAuditLog(store, {
      key: testAuditKey(),
      checkpointEvery: 4,
      checkpointIntervalMs: 0,
    });
    try {
      for (const name of MIGRATION_NAMES.slice(first + 1)) {
        for (let i = 0; i < 9; i++)
          await audit.append({
            type: 'test.before',
            actor: { kind: 'system', id: 't', orgId: null },
            data: { name, i },
          });
        await audit.checkpoint();
        const before = await auditDigest(store.db);
        await migrateTo(store, name);
        expect(await auditDigest(store.db), `migration ${name} changed the audit tables' rows`).toEqual(
          before,
        );
      }
      const report = await audit.verify({ deep: true });
      expect(report.ok, JSON.stringify(report.problem)).toBe(true);
    } finally {
      await audit.close();
    }
  }, 120_000);
});
