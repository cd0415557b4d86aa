import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live process that holds the data directory's lock (a running server over PGlite), if any. */
export function dataDirHolder(dataDir: string): number | undefined {
  let holder: number | undefined;
  try {
    holder = Number(readFileSync(join(dataDir, 'huitong.lock'), 'utf8').trim());
  } catch {
    return undefined;
  }
  return holder && holder !== process.pid && alive(holder) ? holder : undefined;
}

/**
 * Takes the embedded database's directory for this process. PGlite is single-process: a second
 * process opening the same directory would corrupt it, so the CLI refuses while a server holds it.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'huitong.lock');
  let holder: number | undefined;
  try {
    holder = Number(readFileSync(file, 'utf8').trim());
  } catch {
    holder = undefined;
  }
  if (holder && holder !== process.pid && alive(holder)) {
    throw new Error(
      `The embedded database in ${dataDir} is in use by process ${holder} (a running server?). ` +
        'Stop it first, or use the HTTP API, or set HUITONG_DATABASE_URL to share a PostgreSQL server.',
    );
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}
