import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { promisify } from 'node:util';
import { servicesRequired } from './services.js';

/** The command-line clients the wire tests drive (Debian's packages, installed by .ci/run). */
export const TOOLS = {
  psql: { package: 'postgresql-client', command: 'psql', args: ['--version'] },
  openssl: { package: 'openssl', command: 'openssl', args: ['version'] },
  psycopg2: { package: 'python3-psycopg2', command: '/usr/bin/python3', args: ['-c', 'import psycopg2'] },
  jdbc: {
    package: 'libpostgresql-jdbc-java',
    command: 'java',
    args: ['-version'],
    file: '/usr/share/java/postgresql.jar',
  },
} as const;
export type ToolName = keyof typeof TOOLS;

const checked = new Map<ToolName, Promise<boolean>>();

async function runs(name: ToolName): Promise<boolean> {
  const tool = TOOLS[name];
  try {
    if ('file' in tool) await access(tool.file);
    await promisify(execFile)(tool.command, [...tool.args], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a client tool is installed. When it is not: under HUITONG_REQUIRE_SERVICES=1 this
 * throws, so the suite fails; otherwise it returns false and prints why the tests that need it skip.
 */
export async function toolAvailable(name: ToolName): Promise<boolean> {
  let probe = checked.get(name);
  if (!probe) {
    probe = runs(name);
    checked.set(name, probe);
  }
  const ok = await probe;
  if (!ok) {
    const message = `${name} is not installed (Debian's ${TOOLS[name].package})`;
    if (servicesRequired) throw new Error(`${message}, and HUITONG_REQUIRE_SERVICES=1 requires it`);
    console.warn(`[skip] ${message}: tests that need it are skipped`);
  }
  return ok;
}
