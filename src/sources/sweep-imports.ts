import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import type { SourceRuntime } from './runtime.js';

/** How old an unfinished import must be before a start-up sweep may take it. */
export interface SweepOptions {
  /** 0 when this process owns the data directory alone (PGlite holds its lock). */
  olderThanMs: number;
}

/**
 * Removes what imports interrupted by a crash left under the files folder: `.staging-<id>`
 * folders, and source folders that no source row names (the crash fell between the move into
 * place and the insert). Several processes may share a data directory over one PostgreSQL, so
 * unless this one owns it, only folders older than an upload could take are touched.
 * Returns the names removed.
 */
export async function sweepUnfinishedImports(
  db: Kysely<Database>,
  runtime: SourceRuntime,
  options: SweepOptions,
): Promise<string[]> {
  const names = await readdir(runtime.filesDir).catch(() => [] as string[]);
  if (names.length === 0) return [];
  const known = new Set(
    (await db.selectFrom('sources').select('id').where('kind', '=', 'file').execute()).map((r) => r.id),
  );
  const cutoff = Date.now() - options.olderThanMs;
  const removed: string[] = [];
  for (const name of names) {
    const unfinished = name.startsWith('.staging-') || !known.has(name);
    if (!unfinished) continue;
    const path = join(runtime.filesDir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory() || info.mtimeMs > cutoff) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
