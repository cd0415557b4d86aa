import { mkdir, mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization } from '../../test/support/factories.js';
import { openTestStore } from '../../test/support/store.js';
import type { Store } from '../store/index.js';
import { importFile } from './import-file.js';
import { createSourceRuntime, type SourceRuntime } from './runtime.js';
import { sweepUnfinishedImports } from './sweep-imports.js';

describe('sweepUnfinishedImports', () => {
  let store: Store;
  let dir: string;
  let runtime: SourceRuntime;
  let kept: string;

  beforeAll(async () => {
    store = await openTestStore('pglite');
    dir = await mkdtemp(join(tmpdir(), 'huitong-sweep-'));
    runtime = createSourceRuntime({ dataDir: dir });
    const orgId = (await buildOrganization(store.db)).id;
    const imported = await importFile(store.db, runtime, Readable.from([Buffer.from('a,b\n1,2\n')]), {
      orgId,
      name: '留存',
      format: 'csv',
      encoding: 'auto',
      header: true,
    });
    kept = imported.source.id;
  });
  afterAll(async () => {
    await runtime.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('removes staging folders and folders no source names, and keeps registered sources', async () => {
    await mkdir(join(runtime.filesDir, '.staging-dead'), { recursive: true });
    await mkdir(join(runtime.filesDir, 'orphan'), { recursive: true });
    const removed = await sweepUnfinishedImports(store.db, runtime, { olderThanMs: 0 });
    expect(removed.sort()).toEqual(['.staging-dead', 'orphan']);
    expect(await readdir(runtime.filesDir)).toEqual([kept]);
  });

  it('leaves recent folders alone when another process may be mid-upload', async () => {
    await mkdir(join(runtime.filesDir, '.staging-live'), { recursive: true });
    await mkdir(join(runtime.filesDir, '.staging-old'), { recursive: true });
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    await utimes(join(runtime.filesDir, '.staging-old'), dayAgo, dayAgo);
    const removed = await sweepUnfinishedImports(store.db, runtime, { olderThanMs: 24 * 3600_000 });
    expect(removed).toEqual(['.staging-old']);
    expect((await readdir(runtime.filesDir)).sort()).toEqual(['.staging-live', kept].sort());
  });
});
