import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization } from '../../test/support/factories.js';
import { describeEachStore, openTestStore } from '../../test/support/store.js';
import type { Store } from './open.js';
import { cachedRead, writtenTables } from './read-cache.js';

describe('writtenTables', () => {
  it('names the table of each kind of write, and nothing for a read', async () => {
    const store = await openTestStore('pglite');
    try {
      const { db } = store;
      expect(writtenTables(db.selectFrom('sources').selectAll().toOperationNode())).toEqual([]);
      expect(
        writtenTables(
          db
            .insertInto('sources')
            .values({} as never)
            .toOperationNode(),
        ),
      ).toEqual(['sources']);
      expect(writtenTables(db.updateTable('api_keys').set({ name: 'x' }).toOperationNode())).toEqual([
        'api_keys',
      ]);
      expect(writtenTables(db.deleteFrom('resource_bindings').toOperationNode())).toEqual([
        'resource_bindings',
      ]);
      expect(writtenTables(sql`UPDATE "resources" SET version = 2`.toOperationNode())).toEqual(['resources']);
      expect(writtenTables(sql`INSERT INTO grant_usage VALUES (1)`.toOperationNode())).toEqual([
        'grant_usage',
      ]);
      expect(writtenTables(db.schema.dropTable('x').toOperationNode())).toEqual(['*']);
    } finally {
      await store.close();
    }
  });
});

describeEachStore('cachedRead', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.close());

  const nameOf = (id: string) =>
    cachedRead(store.db, `org:${id}`, () =>
      store.db.selectFrom('organizations').select('name').where('id', '=', id).executeTakeFirst(),
    );

  it('reuses a read until this store writes to a watched table', async () => {
    const org = await buildOrganization(store.db, { name: '缓存测试局' });
    expect(await nameOf(org.id)).toEqual({ name: '缓存测试局' });
    // organizations is not watched: a change there is not seen until the entry expires.
    await store.db.updateTable('organizations').set({ name: '改名局' }).where('id', '=', org.id).execute();
    expect(await nameOf(org.id)).toEqual({ name: '缓存测试局' });
    // A write to a watched table (here a no-op update of sources) empties the cache.
    await store.db.updateTable('sources').set({ name: 'x' }).where('id', '=', org.id).execute();
    expect(await nameOf(org.id)).toEqual({ name: '改名局' });
  });

  it('forgets an entry after its time to live', async () => {
    const org = await buildOrganization(store.db, { name: '过期测试局' });
    expect(await nameOf(org.id)).toEqual({ name: '过期测试局' });
    await store.db.updateTable('organizations').set({ name: '已过期局' }).where('id', '=', org.id).execute();
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await nameOf(org.id)).toEqual({ name: '已过期局' });
  });

  it('reads afresh inside a transaction, and hands out values no caller can change', async () => {
    const org = await buildOrganization(store.db, { name: '事务测试局' });
    const first = await nameOf(org.id);
    expect(() => {
      (first as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    await store.db.transaction().execute(async (trx) => {
      await trx.updateTable('organizations').set({ name: '事务内' }).where('id', '=', org.id).execute();
      const inside = await cachedRead(trx, `org:${org.id}`, () =>
        trx.selectFrom('organizations').select('name').where('id', '=', org.id).executeTakeFirst(),
      );
      expect(inside).toEqual({ name: '事务内' });
    });
  });
});
