import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser } from '../../test/support/factories.js';
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

  // users is not watched: the hot path never reads it through the cache.
  const nameOf = (id: string) =>
    cachedRead(store.db, `user:${id}`, () =>
      store.db.selectFrom('users').select('display_name as name').where('id', '=', id).executeTakeFirst(),
    );
  const rename = (db: typeof store.db, id: string, name: string) =>
    db.updateTable('users').set({ display_name: name }).where('id', '=', id).execute();

  it('reuses a read until this store writes to a watched table', async () => {
    const org = await buildUser(store.db);
    await rename(store.db, org.id, '缓存测试局');
    expect(await nameOf(org.id)).toEqual({ name: '缓存测试局' });
    // users is not watched: a change there is not seen until the entry expires.
    await rename(store.db, org.id, '改名局');
    expect(await nameOf(org.id)).toEqual({ name: '缓存测试局' });
    // A write to a watched table (here a no-op update of sources) empties the cache.
    await store.db.updateTable('sources').set({ name: 'x' }).where('id', '=', org.id).execute();
    expect(await nameOf(org.id)).toEqual({ name: '改名局' });
  });

  it('forgets an entry after its time to live', async () => {
    const org = await buildUser(store.db);
    await rename(store.db, org.id, '过期测试局');
    expect(await nameOf(org.id)).toEqual({ name: '过期测试局' });
    await rename(store.db, org.id, '已过期局');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await nameOf(org.id)).toEqual({ name: '已过期局' });
  });

  it('reads afresh inside a transaction, and hands out values no caller can change', async () => {
    const org = await buildUser(store.db);
    await rename(store.db, org.id, '事务测试局');
    const first = await nameOf(org.id);
    expect(() => {
      (first as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    await store.db.transaction().execute(async (trx) => {
      await rename(trx, org.id, '事务内');
      const inside = await cachedRead(trx, `user:${org.id}`, () =>
        trx.selectFrom('users').select('display_name as name').where('id', '=', org.id).executeTakeFirst(),
      );
      expect(inside).toEqual({ name: '事务内' });
    });
  });
});
