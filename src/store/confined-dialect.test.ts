import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import { schemaVersion } from './migrate.js';
import type { Store } from './open.js';

describeEachStore('store introspection', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.close());

  it('sees only the tables of its own schema', async () => {
    const other = `o_${randomBytes(5).toString('hex')}`;
    await sql.raw(`CREATE SCHEMA ${other}`).execute(store.db);
    await sql.raw(`CREATE TABLE ${other}.stray (id int)`).execute(store.db);
    try {
      const tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
      expect(tables.map((t) => t.name)).toContain('huitong_migrations');
      expect(tables.map((t) => t.name)).not.toContain('stray');
      expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([store.schema]));
    } finally {
      await sql.raw(`DROP SCHEMA ${other} CASCADE`).execute(store.db);
    }
  });

  it('reads its schema version while other schemas come and go', async () => {
    let churning = true;
    const churn = (async () => {
      while (churning) {
        const name = `o_${randomBytes(5).toString('hex')}`;
        await sql.raw(`CREATE SCHEMA ${name}`).execute(store.db);
        await sql.raw(`CREATE TABLE ${name}.t (id int)`).execute(store.db);
        await sql.raw(`DROP SCHEMA ${name} CASCADE`).execute(store.db);
      }
    })();
    try {
      for (let i = 0; i < 40; i++) expect(await schemaVersion(store)).toBeDefined();
    } finally {
      churning = false;
      await churn;
    }
  });
});
